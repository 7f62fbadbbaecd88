package service

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"net/url"
	"strings"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// Approved origins (the web origins allowed to embed the instance's contact
// control panel and chat) and security keys (the public keys that verify
// what those pages sign): AssociateApprovedOrigin,
// DisassociateApprovedOrigin, ListApprovedOrigins, AssociateSecurityKey,
// DisassociateSecurityKey, ListSecurityKeys.

// securityKeysPerInstance is how many keys an instance holds at once: two,
// so that one can replace the other (ListSecurityKeys pages at most two).
const securityKeysPerInstance = 2

// checkOrigin accepts a web origin: an http or https scheme and a host
// (with an optional port), nothing else. The origin is kept exactly as
// given, as ListApprovedOrigins must answer it (Terraform compares them).
func checkOrigin(origin string) error {
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Hostname() == "" || u.User != nil ||
		u.Path != "" || u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(origin, "?") || strings.HasSuffix(origin, "#") {
		return invalidParameter("Origin %q is not a web origin (http:// or https:// followed by a host and an optional port, without a path)", origin)
	}
	return nil
}

func (s *Service) associateApprovedOrigin(ctx context.Context, in *api.AssociateApprovedOriginRequest) (*empty, error) {
	if err := checkOrigin(*in.Origin); err != nil {
		return nil, err
	}
	rec := &switchboard.Record{Kind: switchboard.KindApprovedOrigin, ID: *in.Origin, Data: encode(association{ClientToken: deref(in.ClientToken)})}
	if err := s.associate(ctx, *in.InstanceId, rec, deref(in.ClientToken), "Origin "+*in.Origin+" is already approved for the instance", nil, 0, nil); err != nil {
		return nil, err
	}
	return &empty{}, nil
}

func (s *Service) disassociateApprovedOrigin(ctx context.Context, in *api.DisassociateApprovedOriginRequest) (*empty, error) {
	return s.disassociate(ctx, *in.InstanceId, switchboard.KindApprovedOrigin, *in.Origin,
		"Origin "+*in.Origin+" is not approved for instance "+instanceIDFrom(*in.InstanceId))
}

func (s *Service) listApprovedOrigins(ctx context.Context, in *api.ListApprovedOriginsRequest) (*api.ListApprovedOriginsResponse, error) {
	list, next, err := listAssociations(s, ctx, *in.InstanceId, switchboard.KindApprovedOrigin, in.NextToken, in.MaxResults, 25, nil,
		func(r *switchboard.Record) (string, error) { return r.ID, nil })
	if err != nil {
		return nil, err
	}
	return &api.ListApprovedOriginsResponse{Origins: list, NextToken: next}, nil
}

// securityKeyDoc is what the store keeps of a security key.
type securityKeyDoc struct {
	association
	Key string `json:"key"`
}

// checkPublicKey accepts one PEM block of type PUBLIC KEY holding a public
// key Go's x509 parses (RSA, ECDSA, Ed25519), and returns its DER bytes.
func checkPublicKey(key string) ([]byte, error) {
	block, rest := pem.Decode([]byte(key))
	if block == nil || block.Type != "PUBLIC KEY" || strings.TrimSpace(string(rest)) != "" {
		return nil, invalidParameter("Key must be one public key in PEM format (-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----)")
	}
	if _, err := x509.ParsePKIXPublicKey(block.Bytes); err != nil {
		return nil, invalidParameter("Key is not a valid public key: %v", err)
	}
	return block.Bytes, nil
}

func (s *Service) associateSecurityKey(ctx context.Context, in *api.AssociateSecurityKeyRequest) (*api.AssociateSecurityKeyResponse, error) {
	der, err := checkPublicKey(*in.Key)
	if err != nil {
		return nil, err
	}
	sc, id, now, token := scope(ctx), s.newID(), s.clock(), deref(in.ClientToken)
	var out *api.AssociateSecurityKeyResponse
	err = s.store.Update(ctx, func(tx switchboard.Tx) error {
		out = nil
		inst, err := instanceRecord(tx, sc, *in.InstanceId)
		if err != nil {
			return err
		}
		recs, err := tx.List(sc, switchboard.KindSecurityKey, inst.ID, switchboard.ListOptions{})
		if err != nil {
			return err
		}
		for _, r := range recs {
			var d securityKeyDoc
			if err := decode(r, &d); err != nil {
				return err
			}
			if b, _ := pem.Decode([]byte(d.Key)); b != nil && string(b.Bytes) == string(der) {
				if token != "" && d.ClientToken == token {
					out = &api.AssociateSecurityKeyResponse{AssociationId: ptr(r.ID)}
					return nil
				}
				return conflict("The key is already associated with the instance as %s", r.ID)
			}
		}
		if len(recs) >= securityKeysPerInstance {
			return quotaExceeded("The maximum number of security keys per instance (%d) has been reached", securityKeysPerInstance)
		}
		doc := securityKeyDoc{association: association{ClientToken: token}, Key: *in.Key}
		if err := tx.Insert(&switchboard.Record{Scope: sc, Kind: switchboard.KindSecurityKey, Parent: inst.ID, ID: id, Data: encode(doc), Created: now, Modified: now}); err != nil {
			return storeErr(err, "Security key")
		}
		out = &api.AssociateSecurityKeyResponse{AssociationId: ptr(id)}
		return nil
	})
	return out, err
}

func (s *Service) disassociateSecurityKey(ctx context.Context, in *api.DisassociateSecurityKeyRequest) (*empty, error) {
	return s.disassociate(ctx, *in.InstanceId, switchboard.KindSecurityKey, *in.AssociationId,
		"Security key "+*in.AssociationId+" not found in instance "+instanceIDFrom(*in.InstanceId))
}

func (s *Service) listSecurityKeys(ctx context.Context, in *api.ListSecurityKeysRequest) (*api.ListSecurityKeysResponse, error) {
	list, next, err := listAssociations(s, ctx, *in.InstanceId, switchboard.KindSecurityKey, in.NextToken, in.MaxResults, securityKeysPerInstance, nil,
		func(r *switchboard.Record) (api.SecurityKey, error) {
			var d securityKeyDoc
			err := decode(r, &d)
			return api.SecurityKey{AssociationId: ptr(r.ID), Key: ptr(d.Key), CreationTime: ts(r.Created)}, err
		})
	if err != nil {
		return nil, err
	}
	return &api.ListSecurityKeysResponse{SecurityKeys: list, NextToken: next}, nil
}
