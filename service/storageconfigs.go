package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"regexp"
	"slices"
	"strings"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// Instance storage configs: AssociateInstanceStorageConfig,
// DescribeInstanceStorageConfig, UpdateInstanceStorageConfig,
// DisassociateInstanceStorageConfig and ListInstanceStorageConfigs.
//
// A record per association (KindStorageConfig, Parent the instance, ID the
// AssociationId). Its Name is the resource type, so the store's name
// uniqueness is what keeps an instance at one association per resource
// type, across replicas. Nothing named in a config (bucket, stream, key) is
// looked up: Connect only associates what it is given. What Connect can
// tell from the request alone is checked: the storage types each resource
// type takes, the one config member that goes with the storage type, and
// the form, partition, region and account of the ARNs (docs/BEHAVIOUR.md,
// "Instance storage configs").

func (s *Service) registerStorageConfigs() {
	handle(s, "AssociateInstanceStorageConfig", s.associateInstanceStorageConfig)
	handle(s, "DescribeInstanceStorageConfig", s.describeInstanceStorageConfig)
	handle(s, "UpdateInstanceStorageConfig", s.updateInstanceStorageConfig)
	handle(s, "DisassociateInstanceStorageConfig", s.disassociateInstanceStorageConfig)
	handle(s, "ListInstanceStorageConfigs", s.listInstanceStorageConfigs)
}

// storageTypesByResource are the storage types each resource type takes.
// The six original types follow the validation of Connect's own
// CloudFormation handler (aws-cloudformation-resource-providers-connect,
// aws-connect-instancestorageconfig); the later ones follow the admin
// guide (real-time contact analysis segments go to a Kinesis data stream;
// attachments, evaluations, screen recordings and email messages to S3).
var storageTypesByResource = map[string][]string{
	api.InstanceStorageResourceTypeChatTranscripts:                      {api.StorageTypeS3},
	api.InstanceStorageResourceTypeCallRecordings:                       {api.StorageTypeS3},
	api.InstanceStorageResourceTypeScheduledReports:                     {api.StorageTypeS3},
	api.InstanceStorageResourceTypeAttachments:                          {api.StorageTypeS3},
	api.InstanceStorageResourceTypeContactEvaluations:                   {api.StorageTypeS3},
	api.InstanceStorageResourceTypeScreenRecordings:                     {api.StorageTypeS3},
	api.InstanceStorageResourceTypeEmailMessages:                        {api.StorageTypeS3},
	api.InstanceStorageResourceTypeMediaStreams:                         {api.StorageTypeKinesisVideoStream},
	api.InstanceStorageResourceTypeContactTraceRecords:                  {api.StorageTypeKinesisStream, api.StorageTypeKinesisFirehose},
	api.InstanceStorageResourceTypeAgentEvents:                          {api.StorageTypeKinesisStream},
	api.InstanceStorageResourceTypeRealTimeContactAnalysisSegments:      {api.StorageTypeKinesisStream},
	api.InstanceStorageResourceTypeRealTimeContactAnalysisChatSegments:  {api.StorageTypeKinesisStream},
	api.InstanceStorageResourceTypeRealTimeContactAnalysisVoiceSegments: {api.StorageTypeKinesisStream},
}

// configMembers names the InstanceStorageConfig member each storage type
// uses; a config carries that member and no other.
var configMembers = map[string]string{
	api.StorageTypeS3:                 "S3Config",
	api.StorageTypeKinesisVideoStream: "KinesisVideoStreamConfig",
	api.StorageTypeKinesisStream:      "KinesisStreamConfig",
	api.StorageTypeKinesisFirehose:    "KinesisFirehoseConfig",
}

// storageConfigDoc is what the store keeps of an association besides its
// id (the AssociationId) and name (the resource type): the config as it
// is answered, without AssociationId.
type storageConfigDoc struct {
	Config api.InstanceStorageConfig `json:"config"`
}

var (
	// s3BucketName is S3's rule for bucket names (3 to 63 lowercase
	// letters, digits, dots and hyphens, beginning and ending with a letter
	// or digit).
	s3BucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	// arnForm splits an ARN: partition, service, region, account, resource.
	arnForm = regexp.MustCompile(`^arn:([a-z-]+):([a-z0-9-]+):([a-z0-9-]*):([0-9]*):(.+)$`)
	// Stream and delivery stream names (Kinesis: 1-128, Firehose: 1-64, of
	// letters, digits, underscores, hyphens and dots) and KMS key ids.
	kinesisStreamName  = regexp.MustCompile(`^stream/[a-zA-Z0-9_.-]{1,128}$`)
	firehoseStreamName = regexp.MustCompile(`^deliverystream/[a-zA-Z0-9_.-]{1,64}$`)
	kmsKeyResource     = regexp.MustCompile(`^key/[a-zA-Z0-9-]{1,100}$`)
)

// storageConfigSpec is an InstanceStorageConfig checked against a resource
// type and turned into what is stored.
func storageConfigSpec(sc switchboard.Scope, instanceID string, doc *instanceDoc, resourceType string, in *api.InstanceStorageConfig) (api.InstanceStorageConfig, error) {
	st := *in.StorageType
	allowed := storageTypesByResource[resourceType]
	if !slices.Contains(allowed, st) {
		return api.InstanceStorageConfig{}, invalidParameter("StorageType %s is not valid for resource type %s, which takes %s", st, resourceType, strings.Join(allowed, " or "))
	}
	present := map[string]bool{
		"S3Config":                 in.S3Config != nil,
		"KinesisVideoStreamConfig": in.KinesisVideoStreamConfig != nil,
		"KinesisStreamConfig":      in.KinesisStreamConfig != nil,
		"KinesisFirehoseConfig":    in.KinesisFirehoseConfig != nil,
	}
	want := configMembers[st]
	if !present[want] {
		return api.InstanceStorageConfig{}, invalidParameter("StorageConfig.%s is required when StorageType is %s", want, st)
	}
	for _, m := range []string{"S3Config", "KinesisVideoStreamConfig", "KinesisStreamConfig", "KinesisFirehoseConfig"} {
		if present[m] && m != want {
			return api.InstanceStorageConfig{}, invalidParameter("StorageConfig.%s cannot be given when StorageType is %s; only %s can", m, st, want)
		}
	}
	out := api.InstanceStorageConfig{StorageType: ptr(st)}
	switch st {
	case api.StorageTypeS3:
		c := in.S3Config
		if !s3BucketName.MatchString(*c.BucketName) {
			return out, invalidMember("storageConfig.s3Config.bucketName", *c.BucketName, "Member must be a valid Amazon S3 bucket name")
		}
		out.S3Config = &api.S3Config{BucketName: c.BucketName, BucketPrefix: c.BucketPrefix}
		if c.EncryptionConfig != nil {
			if err := checkKMSKey(sc, "storageConfig.s3Config.encryptionConfig.keyId", *c.EncryptionConfig.KeyId, false); err != nil {
				return out, err
			}
			out.S3Config.EncryptionConfig = &api.EncryptionConfig{EncryptionType: c.EncryptionConfig.EncryptionType, KeyId: c.EncryptionConfig.KeyId}
		}
	case api.StorageTypeKinesisVideoStream:
		c := in.KinesisVideoStreamConfig
		if err := checkKMSKey(sc, "storageConfig.kinesisVideoStreamConfig.encryptionConfig.keyId", *c.EncryptionConfig.KeyId, true); err != nil {
			return out, err
		}
		out.KinesisVideoStreamConfig = &api.KinesisVideoStreamConfig{
			Prefix:               ptr(videoStreamPrefix(*c.Prefix, instanceID, doc)),
			RetentionPeriodHours: c.RetentionPeriodHours,
			EncryptionConfig:     &api.EncryptionConfig{EncryptionType: c.EncryptionConfig.EncryptionType, KeyId: c.EncryptionConfig.KeyId},
		}
	case api.StorageTypeKinesisStream:
		arn := *in.KinesisStreamConfig.StreamArn
		if err := checkStreamARN(sc, "storageConfig.kinesisStreamConfig.streamArn", "StreamArn", arn, "kinesis", kinesisStreamName, "a Kinesis data stream"); err != nil {
			return out, err
		}
		out.KinesisStreamConfig = &api.KinesisStreamConfig{StreamArn: ptr(arn)}
	case api.StorageTypeKinesisFirehose:
		arn := *in.KinesisFirehoseConfig.FirehoseArn
		if err := checkStreamARN(sc, "storageConfig.kinesisFirehoseConfig.firehoseArn", "FirehoseArn", arn, "firehose", firehoseStreamName, "a Firehose delivery stream"); err != nil {
			return out, err
		}
		out.KinesisFirehoseConfig = &api.KinesisFirehoseConfig{FirehoseArn: ptr(arn)}
	}
	return out, nil
}

// checkStreamARN checks that arn is the ARN of a stream (resource matching
// name) of service in the caller's partition, region and account: Connect
// writes only to streams of its own account and region.
func checkStreamARN(sc switchboard.Scope, path, member, arn, service string, name *regexp.Regexp, what string) error {
	m := arnForm.FindStringSubmatch(arn)
	if m == nil || m[2] != service || !name.MatchString(m[5]) || len(m[4]) != 12 || m[3] == "" {
		return invalidMember(path, arn, "Member must be the ARN of "+what)
	}
	if m[1] != "aws" || m[3] != sc.Region || m[4] != sc.Account {
		return invalidParameter("%s %s must be in the instance's account %s and region %s", member, arn, sc.Account, sc.Region)
	}
	return nil
}

// checkKMSKey checks that keyID is the full ARN of a KMS key, as the API
// reference asks (a key id or alias alone is refused). A key for a video
// stream must be in the instance's region, where Connect creates the
// streams; an S3 bucket's key follows the bucket, which may be elsewhere.
func checkKMSKey(sc switchboard.Scope, path, keyID string, sameRegion bool) error {
	m := arnForm.FindStringSubmatch(keyID)
	if m == nil || m[2] != "kms" || !kmsKeyResource.MatchString(m[5]) || len(m[4]) != 12 || m[3] == "" {
		return invalidMember(path, keyID, "Member must be the full ARN of a KMS key")
	}
	if m[1] != "aws" || (sameRegion && m[3] != sc.Region) {
		return invalidParameter("KeyId %s must be a key in the instance's region %s", keyID, sc.Region)
	}
	return nil
}

// videoStreamPrefix is the prefix Connect answers for a video stream
// prefix: it appends "-connect-<instance alias>-contact-" (Terraform's
// acceptance tests check exactly that), once: a prefix that already ends
// so, as read back from Describe, is kept as it is.
func videoStreamPrefix(prefix, instanceID string, doc *instanceDoc) string {
	alias := doc.Alias
	if alias == "" {
		alias = instanceID
	}
	suffix := "-connect-" + alias + "-contact-"
	if strings.HasSuffix(prefix, suffix) {
		return prefix
	}
	return prefix + suffix
}

// storageConfigShape is the answer for a stored association.
func storageConfigShape(rec *switchboard.Record) (api.InstanceStorageConfig, error) {
	var doc storageConfigDoc
	if err := decode(rec, &doc); err != nil {
		return api.InstanceStorageConfig{}, err
	}
	c := doc.Config
	c.AssociationId = ptr(rec.ID)
	return c, nil
}

// storageToken is what a ClientToken remembers: the association made and a
// digest of the request.
type storageToken struct {
	ID      string `json:"id"`
	Request string `json:"request"`
}

func (s *Service) associateInstanceStorageConfig(ctx context.Context, in *api.AssociateInstanceStorageConfigRequest) (*api.AssociateInstanceStorageConfigResponse, error) {
	sc, now := scope(ctx), s.clock()
	token := deref(in.ClientToken)
	digest := requestDigest(in)
	var out *api.AssociateInstanceStorageConfigResponse
	err := s.store.Update(ctx, func(tx switchboard.Tx) error {
		out = nil
		inst, doc, err := s.viewInstance(tx, sc, *in.InstanceId)
		if err != nil {
			return err
		}
		if token != "" {
			prev, err := tx.Get(instanceTokenKey(sc, inst.ID, "AssociateInstanceStorageConfig", token))
			if err == nil {
				var t storageToken
				if err := decode(prev, &t); err != nil {
					return err
				}
				if t.Request != digest {
					return &api.ResourceConflictException{Message: ptr("ClientToken " + token + " was already used for a different AssociateInstanceStorageConfig request")}
				}
				out = &api.AssociateInstanceStorageConfigResponse{AssociationId: ptr(t.ID)}
				return nil
			}
			if !errors.Is(err, switchboard.ErrNotFound) {
				return err
			}
		}
		cfg, err := storageConfigSpec(sc, inst.ID, doc, *in.ResourceType, in.StorageConfig)
		if err != nil {
			return err
		}
		// 64 hex digits, the form of Connect's association ids; derived from
		// newID so that tests injecting ids get predictable ones.
		sum := sha256.Sum256([]byte(instanceARN(sc, inst.ID) + "/storage-config/" + *in.ResourceType + "/" + s.newID()))
		id := hex.EncodeToString(sum[:])
		rec := &switchboard.Record{Scope: sc, Kind: switchboard.KindStorageConfig, Parent: inst.ID, ID: id, Name: *in.ResourceType,
			Data: encode(storageConfigDoc{Config: cfg}), Created: now, Modified: now}
		err = tx.Insert(rec)
		if errors.Is(err, switchboard.ErrAlreadyExists) {
			return &api.ResourceConflictException{Message: ptr("Instance " + inst.ID + " already has a storage config for resource type " + *in.ResourceType +
				"; update or disassociate it instead")}
		}
		if err != nil {
			return storeErr(err, "Storage config")
		}
		if token != "" {
			t := &switchboard.Record{Scope: sc, Kind: switchboard.KindClientToken, Parent: inst.ID, ID: instanceTokenKey(sc, inst.ID, "AssociateInstanceStorageConfig", token).ID,
				Data: encode(storageToken{ID: id, Request: digest}), Created: now, Modified: now}
			if err := tx.Insert(t); err != nil {
				return err
			}
		}
		out = &api.AssociateInstanceStorageConfigResponse{AssociationId: ptr(id)}
		return nil
	})
	return out, err
}

// getStorageConfig loads an association of an instance for the resource
// type the caller names: an association of another resource type is not
// found, as the AssociationId identifies the pair.
func getStorageConfig(tx switchboard.Tx, sc switchboard.Scope, instanceIDOrARN, id, resourceType string) (*switchboard.Record, error) {
	rec, err := getChild(tx, sc, instanceIDOrARN, switchboard.KindStorageConfig, id)
	if err != nil {
		return nil, err
	}
	if rec.Name != resourceType {
		return nil, notFound("Storage config %s for resource type %s not found in instance %s", id, resourceType, rec.Parent)
	}
	return rec, nil
}

func (s *Service) describeInstanceStorageConfig(ctx context.Context, in *api.DescribeInstanceStorageConfigRequest) (*api.DescribeInstanceStorageConfigResponse, error) {
	var out *api.DescribeInstanceStorageConfigResponse
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		rec, err := getStorageConfig(tx, scope(ctx), *in.InstanceId, *in.AssociationId, *in.ResourceType)
		if err != nil {
			return err
		}
		c, err := storageConfigShape(rec)
		out = &api.DescribeInstanceStorageConfigResponse{StorageConfig: &c}
		return err
	})
	return out, err
}

// updateInstanceStorageConfig replaces the config, storage type included
// (within those the resource type takes): CloudFormation's schema lets
// StorageType change without replacement and Terraform's storage_type is
// not ForceNew, so both send it through this operation.
func (s *Service) updateInstanceStorageConfig(ctx context.Context, in *api.UpdateInstanceStorageConfigRequest) (*empty, error) {
	sc := scope(ctx)
	return s.updateChild(ctx, *in.InstanceId, switchboard.KindStorageConfig, *in.AssociationId, func(tx switchboard.Tx, rec *switchboard.Record) error {
		if rec.Name != *in.ResourceType {
			return notFound("Storage config %s for resource type %s not found in instance %s", rec.ID, *in.ResourceType, rec.Parent)
		}
		_, doc, err := s.viewInstance(tx, sc, rec.Parent)
		if err != nil {
			return err
		}
		cfg, err := storageConfigSpec(sc, rec.Parent, doc, rec.Name, in.StorageConfig)
		if err != nil {
			return err
		}
		rec.Data = encode(storageConfigDoc{Config: cfg})
		return nil
	})
}

func (s *Service) disassociateInstanceStorageConfig(ctx context.Context, in *api.DisassociateInstanceStorageConfigRequest) (*empty, error) {
	return s.deleteChild(ctx, *in.InstanceId, switchboard.KindStorageConfig, *in.AssociationId, func(rec *switchboard.Record) error {
		if rec.Name != *in.ResourceType {
			return notFound("Storage config %s for resource type %s not found in instance %s", rec.ID, *in.ResourceType, rec.Parent)
		}
		return nil
	})
}

// storageConfigPageSize is ListInstanceStorageConfigs' page when MaxResults is not
// given: the most the model allows (MaxResult10).
const storageConfigPageSize = 10

func (s *Service) listInstanceStorageConfigs(ctx context.Context, in *api.ListInstanceStorageConfigsRequest) (*api.ListInstanceStorageConfigsResponse, error) {
	sc := scope(ctx)
	out := &api.ListInstanceStorageConfigsResponse{}
	err := s.store.View(ctx, func(tx switchboard.Tx) error {
		inst, err := instanceRecord(tx, sc, *in.InstanceId)
		if err != nil {
			return err
		}
		recs, next, err := page(tx, sc, switchboard.KindStorageConfig, inst.ID, in.NextToken, in.MaxResults, storageConfigPageSize,
			func(rec *switchboard.Record) bool { return rec.Name == *in.ResourceType })
		if err != nil {
			return err
		}
		out.NextToken = next
		out.StorageConfigs = make([]api.InstanceStorageConfig, 0, len(recs))
		for _, rec := range recs {
			c, err := storageConfigShape(rec)
			if err != nil {
				return err
			}
			out.StorageConfigs = append(out.StorageConfigs, c)
		}
		return nil
	})
	return out, err
}
