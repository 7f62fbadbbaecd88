package service

// Hand-written JSON for the documents the contact engine writes on every
// contact (encode's jsonAppender): encoding/json finds their fields by
// reflection and checks its own output again, which was a tenth of a day
// of traffic. What these write is read back with encoding/json.

import (
	"strconv"
	"unicode/utf8"
)

// appendString appends s as a JSON string.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigit[c>>4], hexDigit[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			// Not UTF-8: written as U+FFFD, as encoding/json does.
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

const hexDigit = "0123456789abcdef"

// appendField appends `,"name":` (no comma when first) and says the next
// field is not first.
func appendField(b []byte, first *bool, name string) []byte {
	if !*first {
		b = append(b, ',')
	}
	*first = false
	b = append(b, '"')
	b = append(b, name...)
	return append(b, '"', ':')
}

// appendStringField appends a string member, left out when empty and
// omitEmpty.
func appendStringField(b []byte, first *bool, name, v string, omitEmpty bool) []byte {
	if v == "" && omitEmpty {
		return b
	}
	return appendString(appendField(b, first, name), v)
}

// appendIntField appends an integer member, left out when 0 and omitEmpty.
func appendIntField(b []byte, first *bool, name string, v int64, omitEmpty bool) []byte {
	if v == 0 && omitEmpty {
		return b
	}
	return strconv.AppendInt(appendField(b, first, name), v, 10)
}
