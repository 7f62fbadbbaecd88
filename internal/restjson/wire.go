package restjson

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/switchboard-dev/switchboard/api"
)

const contentTypeJSON = "application/json"

func serializationError(msg string) *api.GenericError {
	return &api.GenericError{Code: "SerializationException", Status: http.StatusBadRequest, Message: msg}
}

// decodeBody decodes a non-empty body into in. The body must be a JSON
// object; members bound to the URI or query carry json:"-" and so cannot be
// overridden from here.
func decodeBody(body []byte, in api.Request) error {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 {
		return nil
	}
	if trimmed[0] != '{' {
		return serializationError("The request body must be a JSON object")
	}
	// Member names match exactly, as AWS's deserializers do: a name that
	// differs only in case is an unknown member, ignored.
	err := json.Unmarshal(api.DropInexactKeys(body, reflect.TypeOf(in)), in)
	if err == nil {
		return nil
	}
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		member := typeErr.Field
		if member == "" {
			member = "(request body)"
		}
		return serializationError(fmt.Sprintf("Invalid value for member '%s': expected %s, got JSON %s", member, jsonKind(typeErr.Type), typeErr.Value))
	case errors.As(err, &syntaxErr):
		return serializationError(fmt.Sprintf("Malformed JSON in request body at offset %d: %s", syntaxErr.Offset, syntaxErr.Error()))
	default:
		// Errors of custom decoders (timestamps) say what they expected.
		return serializationError("Invalid request body: " + err.Error())
	}
}

// jsonKind names the JSON a Go type accepts, for messages.
func jsonKind(t reflect.Type) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return "a value"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "a " + t.String()
}

// pickError returns the first of names op declares, or the last name when
// it declares none of them.
func pickError(op *api.Operation, names ...string) string {
	if op != nil {
		for _, n := range names {
			if op.Declares(n) {
				return n
			}
		}
	}
	return names[len(names)-1]
}

// writeError is the one place errors become responses. It returns the
// status written.
func (s *Server) writeError(ctx context.Context, w http.ResponseWriter, op *api.Operation, err error) int {
	var (
		status  int
		code    string
		payload any
	)
	var validation *api.ValidationError
	var bind *api.BindError
	var notImpl *errNotImplemented
	var apiErr api.Error
	switch {
	case errors.As(err, &notImpl):
		code = pickError(op, "InvalidRequestException", "InvalidParameterException", "InvalidRequestException")
		status, payload = http.StatusNotImplemented, api.NewError(code, notImpl.Error())
	case errors.As(err, &validation), errors.As(err, &bind):
		code = pickError(op, "InvalidParameterException", "InvalidRequestException")
		status, payload = http.StatusBadRequest, api.NewError(code, err.Error())
	case errors.As(err, &apiErr):
		status, code, payload = apiErr.HTTPStatus(), apiErr.ErrorCode(), apiErr
		if status < 400 || status > 599 {
			s.log.LogAttrs(ctx, slog.LevelError, "error with a non-error status", slog.String("request_id", RequestID(ctx)),
				slog.String("code", code), slog.Int("status", status))
			status = http.StatusInternalServerError
		}
	default:
		s.log.LogAttrs(ctx, slog.LevelError, "internal error", slog.String("request_id", RequestID(ctx)),
			slog.String("operation", opName(op)), slog.String("error", err.Error()))
		code = "InternalServiceException"
		status, payload = http.StatusInternalServerError, api.NewError(code, "The service encountered an internal error. Request ID: "+RequestID(ctx))
	}
	body, merr := marshalJSON(payload)
	if merr != nil {
		// A message with bytes the error's encoder cannot express must
		// still reach the client as JSON.
		msg := err.Error()
		if e, ok := payload.(error); ok {
			msg = strings.TrimPrefix(e.Error(), code+": ")
		}
		body, _ = marshalJSON(map[string]string{"Message": strings.ToValidUTF8(msg, "\uFFFD")})
	}
	h := w.Header()
	h["X-Amzn-ErrorType"] = []string{code}
	h.Set("Content-Type", contentTypeJSON)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
	return status
}

// outBufs recycles response bodies: a ListUsers page is ~200 KB, and
// allocating it per request was a visible part of the GC's work.
var outBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBuf keeps the pool from holding on to rare huge bodies.
const maxPooledBuf = 1 << 20

// writeOutput writes a successful result. It returns the status written.
func (s *Server) writeOutput(ctx context.Context, w http.ResponseWriter, op *api.Operation, out any) int {
	buf := outBufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= maxPooledBuf {
			outBufs.Put(buf)
		}
	}()
	body := []byte("{}")
	if out != nil {
		var err error
		if a, ok := out.(api.JSONAppender); ok {
			var b []byte
			b, err = a.AppendJSON(buf.AvailableBuffer())
			buf.Write(b)
		} else {
			if f, ok := out.(api.AlwaysSentFiller); ok {
				f.FillAlwaysSent()
			}
			err = encodeJSON(buf, out)
		}
		if err != nil {
			return s.writeError(ctx, w, op, fmt.Errorf("encoding the %s output: %w", op.Name, err))
		}
		// A typed nil pointer encodes as null, which SDKs reject as a
		// structure.
		if b := buf.Bytes(); !bytes.Equal(b, []byte("null")) {
			body = b
		}
	}
	status := op.SuccessCode
	if status == 0 {
		status = http.StatusOK
	}
	h := w.Header()
	h["Content-Type"] = []string{contentTypeJSON}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(status)
	w.Write(body)
	return status
}
