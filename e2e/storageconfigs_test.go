package e2e

import (
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
)

const (
	testKeyARN      = "arn:aws:kms:" + region + ":000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	testStreamARN   = "arn:aws:kinesis:" + region + ":000000000000:stream/ctr-stream"
	testFirehoseARN = "arn:aws:firehose:" + region + ":000000000000:deliverystream/ctr-firehose"
)

// storageConfigOf is a valid config of storage type st.
func storageConfigOf(st types.StorageType) *types.InstanceStorageConfig {
	c := &types.InstanceStorageConfig{StorageType: st}
	switch st {
	case types.StorageTypeS3:
		c.S3Config = &types.S3Config{BucketName: aws.String("connect-bucket"), BucketPrefix: aws.String("connect/records")}
	case types.StorageTypeKinesisVideoStream:
		c.KinesisVideoStreamConfig = &types.KinesisVideoStreamConfig{Prefix: aws.String("media"), RetentionPeriodHours: 24,
			EncryptionConfig: &types.EncryptionConfig{EncryptionType: types.EncryptionTypeKms, KeyId: aws.String(testKeyARN)}}
	case types.StorageTypeKinesisStream:
		c.KinesisStreamConfig = &types.KinesisStreamConfig{StreamArn: aws.String(testStreamARN)}
	case types.StorageTypeKinesisFirehose:
		c.KinesisFirehoseConfig = &types.KinesisFirehoseConfig{FirehoseArn: aws.String(testFirehoseARN)}
	}
	return c
}

// storageTypesOf is the table the tests hold the server to: the storage
// types each resource type takes (docs/BEHAVIOUR.md).
var storageTypesOf = map[types.InstanceStorageResourceType][]types.StorageType{
	types.InstanceStorageResourceTypeChatTranscripts:                      {types.StorageTypeS3},
	types.InstanceStorageResourceTypeCallRecordings:                       {types.StorageTypeS3},
	types.InstanceStorageResourceTypeScheduledReports:                     {types.StorageTypeS3},
	types.InstanceStorageResourceTypeAttachments:                          {types.StorageTypeS3},
	types.InstanceStorageResourceTypeContactEvaluations:                   {types.StorageTypeS3},
	types.InstanceStorageResourceTypeScreenRecordings:                     {types.StorageTypeS3},
	types.InstanceStorageResourceTypeEmailMessages:                        {types.StorageTypeS3},
	types.InstanceStorageResourceTypeMediaStreams:                         {types.StorageTypeKinesisVideoStream},
	types.InstanceStorageResourceTypeContactTraceRecords:                  {types.StorageTypeKinesisStream, types.StorageTypeKinesisFirehose},
	types.InstanceStorageResourceTypeAgentEvents:                          {types.StorageTypeKinesisStream},
	types.InstanceStorageResourceTypeRealTimeContactAnalysisSegments:      {types.StorageTypeKinesisStream},
	types.InstanceStorageResourceTypeRealTimeContactAnalysisChatSegments:  {types.StorageTypeKinesisStream},
	types.InstanceStorageResourceTypeRealTimeContactAnalysisVoiceSegments: {types.StorageTypeKinesisStream},
}

func (f *fixture) associateStorage(t *testing.T, rt types.InstanceStorageResourceType, cfg *types.InstanceStorageConfig) (string, error) {
	t.Helper()
	out, err := f.client.AssociateInstanceStorageConfig(ctx(t), &connect.AssociateInstanceStorageConfigInput{InstanceId: &f.instance, ResourceType: rt, StorageConfig: cfg})
	if err != nil {
		return "", err
	}
	return aws.ToString(out.AssociationId), nil
}

func (f *fixture) describeStorage(t *testing.T, id string, rt types.InstanceStorageResourceType) (*types.InstanceStorageConfig, error) {
	t.Helper()
	out, err := f.client.DescribeInstanceStorageConfig(ctx(t), &connect.DescribeInstanceStorageConfigInput{InstanceId: &f.instance, AssociationId: &id, ResourceType: rt})
	if err != nil {
		return nil, err
	}
	return out.StorageConfig, nil
}

var associationIDForm = regexp.MustCompile(`^[0-9a-f]{64}$`)

// TestStorageConfigResourceAndStorageTypes: every resource type the model
// names against every storage type. The ones a resource type takes are
// associated, described, listed and disassociated; the others are
// InvalidParameterException naming StorageType.
func TestStorageConfigResourceAndStorageTypes(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	if len(storageTypesOf) != len(types.InstanceStorageResourceType("").Values()) {
		t.Fatalf("the table covers %d resource types, the SDK knows %d", len(storageTypesOf), len(types.InstanceStorageResourceType("").Values()))
	}
	for _, rt := range types.InstanceStorageResourceType("").Values() {
		for _, st := range types.StorageType("").Values() {
			allowed := false
			for _, a := range storageTypesOf[rt] {
				allowed = allowed || a == st
			}
			name := string(rt) + " with " + string(st)
			if !allowed {
				t.Run(name+" is InvalidParameterException", func(t *testing.T) {
					_, err := f.associateStorage(t, rt, storageConfigOf(st))
					wantErr[*types.InvalidParameterException](t, err, "StorageType", string(st), string(rt))
				})
				continue
			}
			t.Run(name+" is associated", func(t *testing.T) {
				want := storageConfigOf(st)
				id, err := f.associateStorage(t, rt, want)
				if err != nil {
					t.Fatal(err)
				}
				if !associationIDForm.MatchString(id) {
					t.Errorf("AssociationId %q, want 64 hex digits", id)
				}
				got, err := f.describeStorage(t, id, rt)
				if err != nil {
					t.Fatal(err)
				}
				if aws.ToString(got.AssociationId) != id || got.StorageType != st {
					t.Errorf("described %+v", got)
				}
				if st == types.StorageTypeKinesisVideoStream {
					want.KinesisVideoStreamConfig.Prefix = aws.String("media-connect-fx-conn-contact-")
				}
				want.AssociationId = &id
				if mustJSON(got) != mustJSON(want) {
					t.Errorf("described %s\nwant %s", mustJSON(got), mustJSON(want))
				}
				list := call(f.client.ListInstanceStorageConfigs(c, &connect.ListInstanceStorageConfigsInput{InstanceId: &f.instance, ResourceType: rt})).must(t)
				if len(list.StorageConfigs) != 1 || mustJSON(list.StorageConfigs[0]) != mustJSON(got) || list.NextToken != nil {
					t.Errorf("listed %s", mustJSON(list.StorageConfigs))
				}
				call(f.client.DisassociateInstanceStorageConfig(c, &connect.DisassociateInstanceStorageConfigInput{InstanceId: &f.instance, AssociationId: &id, ResourceType: rt})).must(t)
				_, err = f.describeStorage(t, id, rt)
				wantErr[*types.ResourceNotFoundException](t, err, id)
			})
		}
	}
}

// TestStorageConfigRules: one named case per rule of the config itself.
func TestStorageConfigRules(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	s3 := func(change func(*types.S3Config)) *types.InstanceStorageConfig {
		c := storageConfigOf(types.StorageTypeS3)
		change(c.S3Config)
		return c
	}
	video := func(change func(*types.KinesisVideoStreamConfig)) *types.InstanceStorageConfig {
		c := storageConfigOf(types.StorageTypeKinesisVideoStream)
		change(c.KinesisVideoStreamConfig)
		return c
	}
	stream := func(arn string) *types.InstanceStorageConfig {
		return &types.InstanceStorageConfig{StorageType: types.StorageTypeKinesisStream, KinesisStreamConfig: &types.KinesisStreamConfig{StreamArn: aws.String(arn)}}
	}
	firehose := func(arn string) *types.InstanceStorageConfig {
		return &types.InstanceStorageConfig{StorageType: types.StorageTypeKinesisFirehose, KinesisFirehoseConfig: &types.KinesisFirehoseConfig{FirehoseArn: aws.String(arn)}}
	}
	chat, media, ctr := types.InstanceStorageResourceTypeChatTranscripts, types.InstanceStorageResourceTypeMediaStreams, types.InstanceStorageResourceTypeContactTraceRecords
	cases := []struct {
		name string
		rt   types.InstanceStorageResourceType
		cfg  *types.InstanceStorageConfig
		want []string // what the InvalidParameterException names
	}{
		{"the StorageType's member is required", chat, &types.InstanceStorageConfig{StorageType: types.StorageTypeS3}, []string{"S3Config", "S3"}},
		{"another storage type's member is refused", chat, func() *types.InstanceStorageConfig {
			c := storageConfigOf(types.StorageTypeS3)
			c.KinesisStreamConfig = &types.KinesisStreamConfig{StreamArn: aws.String(testStreamARN)}
			return c
		}(), []string{"KinesisStreamConfig", "S3"}},
		{"a Firehose config is refused with KINESIS_STREAM", ctr, func() *types.InstanceStorageConfig {
			c := storageConfigOf(types.StorageTypeKinesisStream)
			c.KinesisFirehoseConfig = &types.KinesisFirehoseConfig{FirehoseArn: aws.String(testFirehoseARN)}
			return c
		}(), []string{"KinesisFirehoseConfig"}},
		{"an unknown StorageType is refused by the model", chat, &types.InstanceStorageConfig{StorageType: "EFS"}, []string{"storageConfig.storageType"}},
		{"BucketName must be an S3 bucket name", chat, s3(func(c *types.S3Config) { c.BucketName = aws.String("Not_A_Bucket") }), []string{"storageConfig.s3Config.bucketName"}},
		{"BucketName of two characters is refused", chat, s3(func(c *types.S3Config) { c.BucketName = aws.String("ab") }), []string{"storageConfig.s3Config.bucketName"}},
		{"BucketName longer than 128 is refused by the model", chat, s3(func(c *types.S3Config) { c.BucketName = aws.String(strings.Repeat("b", 129)) }), []string{"storageConfig.s3Config.bucketName", "128"}},
		{"BucketPrefix empty is refused by the model", chat, s3(func(c *types.S3Config) { c.BucketPrefix = aws.String("") }), []string{"storageConfig.s3Config.bucketPrefix"}},
		{"EncryptionType other than KMS is refused", chat, s3(func(c *types.S3Config) {
			c.EncryptionConfig = &types.EncryptionConfig{EncryptionType: "AES256", KeyId: aws.String(testKeyARN)}
		}), []string{"storageConfig.s3Config.encryptionConfig.encryptionType"}},
		{"KeyId must be a full key ARN, not a key id", chat, s3(func(c *types.S3Config) {
			c.EncryptionConfig = &types.EncryptionConfig{EncryptionType: types.EncryptionTypeKms, KeyId: aws.String("1234abcd-12ab-34cd-56ef-1234567890ab")}
		}), []string{"storageConfig.s3Config.encryptionConfig.keyId"}},
		{"KeyId must be a key ARN, not an alias ARN", chat, s3(func(c *types.S3Config) {
			c.EncryptionConfig = &types.EncryptionConfig{EncryptionType: types.EncryptionTypeKms, KeyId: aws.String("arn:aws:kms:" + region + ":000000000000:alias/connect")}
		}), []string{"storageConfig.s3Config.encryptionConfig.keyId"}},
		{"a video stream's key must be in the instance's region", media, video(func(c *types.KinesisVideoStreamConfig) {
			c.EncryptionConfig.KeyId = aws.String("arn:aws:kms:eu-west-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab")
		}), []string{"KeyId", region}},
		{"Prefix empty is refused by the model", media, video(func(c *types.KinesisVideoStreamConfig) { c.Prefix = aws.String("") }), []string{"storageConfig.kinesisVideoStreamConfig.prefix"}},
		{"RetentionPeriodHours above 87600 is refused by the model", media, video(func(c *types.KinesisVideoStreamConfig) { c.RetentionPeriodHours = 87601 }), []string{"storageConfig.kinesisVideoStreamConfig.retentionPeriodHours"}},
		{"RetentionPeriodHours below 0 is refused by the model", media, video(func(c *types.KinesisVideoStreamConfig) { c.RetentionPeriodHours = -1 }), []string{"storageConfig.kinesisVideoStreamConfig.retentionPeriodHours"}},
		{"StreamArn must be an ARN", ctr, stream("ctr-stream"), []string{"storageConfig.kinesisStreamConfig.streamArn"}},
		{"StreamArn must name a Kinesis stream", ctr, stream(testFirehoseARN), []string{"storageConfig.kinesisStreamConfig.streamArn"}},
		{"StreamArn must be in the instance's region", ctr, stream("arn:aws:kinesis:eu-west-1:000000000000:stream/ctr-stream"), []string{"StreamArn", region}},
		{"StreamArn must be in the caller's account", ctr, stream("arn:aws:kinesis:" + region + ":111122223333:stream/ctr-stream"), []string{"StreamArn", "000000000000"}},
		{"StreamArn must be in the instance's partition", ctr, stream("arn:aws-cn:kinesis:" + region + ":000000000000:stream/ctr-stream"), []string{"StreamArn"}},
		{"FirehoseArn must name a delivery stream", ctr, firehose(testStreamARN), []string{"storageConfig.kinesisFirehoseConfig.firehoseArn"}},
		{"FirehoseArn must be in the instance's region", ctr, firehose("arn:aws:firehose:eu-west-1:000000000000:deliverystream/ctr-firehose"), []string{"FirehoseArn", region}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.associateStorage(t, tc.rt, tc.cfg)
			wantErr[*types.InvalidParameterException](t, err, tc.want...)
		})
	}
	if got := call(f.client.ListInstanceStorageConfigs(ctx(t), &connect.ListInstanceStorageConfigsInput{InstanceId: &f.instance, ResourceType: chat})).must(t); len(got.StorageConfigs) != 0 {
		t.Errorf("refused associations were kept: %s", mustJSON(got.StorageConfigs))
	}
	t.Run("resourceType is required on Describe", func(t *testing.T) {
		// The Go SDK refuses to send it without; a hand-written client would.
		resp, body := f.raw("GET", "/instance/"+f.instance+"/storage-config/"+strings.Repeat("a", 64), nil)
		if resp.StatusCode != 400 || resp.Header.Get("X-Amzn-ErrorType") != "InvalidParameterException" || !strings.Contains(string(body), "'resourceType'") {
			t.Fatalf("%d %s %s", resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), body)
		}
	})
	t.Run("resourceType is required on List", func(t *testing.T) {
		resp, body := f.raw("GET", "/instance/"+f.instance+"/storage-configs", nil)
		if resp.StatusCode != 400 || resp.Header.Get("X-Amzn-ErrorType") != "InvalidParameterException" || !strings.Contains(string(body), "'resourceType'") {
			t.Fatalf("%d %s %s", resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), body)
		}
	})
	t.Run("a KINESIS_VIDEO_STREAM config needs EncryptionConfig", func(t *testing.T) {
		resp, body := f.raw("PUT", "/instance/"+f.instance+"/storage-config", []byte(`{"ResourceType":"MEDIA_STREAMS","StorageConfig":{"StorageType":"KINESIS_VIDEO_STREAM","KinesisVideoStreamConfig":{"Prefix":"p","RetentionPeriodHours":1}}}`))
		if resp.StatusCode != 400 || resp.Header.Get("X-Amzn-ErrorType") != "InvalidParameterException" || !strings.Contains(string(body), "storageConfig.kinesisVideoStreamConfig.encryptionConfig") {
			t.Fatalf("%d %s %s", resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), body)
		}
	})
	t.Run("RetentionPeriodHours 0 and 87600 are accepted", func(t *testing.T) {
		for _, h := range []int32{0, 87600} {
			id, err := f.associateStorage(t, media, video(func(c *types.KinesisVideoStreamConfig) { c.RetentionPeriodHours = h }))
			if err != nil {
				t.Fatal(err)
			}
			if got, err := f.describeStorage(t, id, media); err != nil || got.KinesisVideoStreamConfig.RetentionPeriodHours != h {
				t.Fatalf("%d hours: %v %+v", h, err, got)
			}
			call(f.client.DisassociateInstanceStorageConfig(ctx(t), &connect.DisassociateInstanceStorageConfigInput{InstanceId: &f.instance, AssociationId: &id, ResourceType: media})).must(t)
		}
	})
}

// TestStorageConfigAssociations: one association per resource type, found
// only under its own resource type, in its own instance.
func TestStorageConfigAssociations(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	chat, calls := types.InstanceStorageResourceTypeChatTranscripts, types.InstanceStorageResourceTypeCallRecordings
	id, err := f.associateStorage(t, chat, storageConfigOf(types.StorageTypeS3))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("a second association of a resource type is ResourceConflictException", func(t *testing.T) {
		_, err := f.associateStorage(t, chat, s3Bucket("other-bucket"))
		wantErr[*types.ResourceConflictException](t, err, string(chat))
	})
	var callsID string
	t.Run("another resource type has its own association", func(t *testing.T) {
		callsID, err = f.associateStorage(t, calls, storageConfigOf(types.StorageTypeS3))
		if err != nil {
			t.Fatal(err)
		}
		if callsID == id {
			t.Fatalf("two associations share the id %s", id)
		}
	})
	t.Run("List answers only the resource type asked for", func(t *testing.T) {
		got := call(f.client.ListInstanceStorageConfigs(c, &connect.ListInstanceStorageConfigsInput{InstanceId: &f.instance, ResourceType: calls, MaxResults: aws.Int32(10)})).must(t)
		if len(got.StorageConfigs) != 1 || aws.ToString(got.StorageConfigs[0].AssociationId) != callsID {
			t.Errorf("CALL_RECORDINGS lists %s", mustJSON(got.StorageConfigs))
		}
		empty := call(f.client.ListInstanceStorageConfigs(c, &connect.ListInstanceStorageConfigsInput{InstanceId: &f.instance, ResourceType: types.InstanceStorageResourceTypeAgentEvents})).must(t)
		if empty.StorageConfigs == nil || len(empty.StorageConfigs) != 0 {
			t.Errorf("AGENT_EVENTS lists %s", mustJSON(empty.StorageConfigs))
		}
	})
	t.Run("List MaxResults above 10 is refused by the model", func(t *testing.T) {
		_, err := f.client.ListInstanceStorageConfigs(c, &connect.ListInstanceStorageConfigsInput{InstanceId: &f.instance, ResourceType: chat, MaxResults: aws.Int32(11)})
		wantErr[*types.InvalidParameterException](t, err, "maxResults")
	})
	t.Run("another resource type's association is not found", func(t *testing.T) {
		_, err := f.describeStorage(t, id, calls)
		wantErr[*types.ResourceNotFoundException](t, err, id, string(calls))
		_, err = f.client.UpdateInstanceStorageConfig(c, &connect.UpdateInstanceStorageConfigInput{InstanceId: &f.instance, AssociationId: &id, ResourceType: calls, StorageConfig: storageConfigOf(types.StorageTypeS3)})
		wantErr[*types.ResourceNotFoundException](t, err, id)
		_, err = f.client.DisassociateInstanceStorageConfig(c, &connect.DisassociateInstanceStorageConfigInput{InstanceId: &f.instance, AssociationId: &id, ResourceType: calls})
		wantErr[*types.ResourceNotFoundException](t, err, id)
		if _, err := f.describeStorage(t, id, chat); err != nil {
			t.Fatalf("the association is gone after a refused Disassociate: %v", err)
		}
	})
	t.Run("an unknown association is ResourceNotFoundException", func(t *testing.T) {
		unknown := strings.Repeat("0", 64)
		_, err := f.describeStorage(t, unknown, chat)
		wantErr[*types.ResourceNotFoundException](t, err, unknown)
		_, err = f.client.UpdateInstanceStorageConfig(c, &connect.UpdateInstanceStorageConfigInput{InstanceId: &f.instance, AssociationId: &unknown, ResourceType: chat, StorageConfig: storageConfigOf(types.StorageTypeS3)})
		wantErr[*types.ResourceNotFoundException](t, err, unknown)
		_, err = f.client.DisassociateInstanceStorageConfig(c, &connect.DisassociateInstanceStorageConfigInput{InstanceId: &f.instance, AssociationId: &unknown, ResourceType: chat})
		wantErr[*types.ResourceNotFoundException](t, err, unknown)
	})
	t.Run("an unknown instance is ResourceNotFoundException", func(t *testing.T) {
		other := "00000000-0000-0000-0000-000000000000"
		_, err := f.client.AssociateInstanceStorageConfig(c, &connect.AssociateInstanceStorageConfigInput{InstanceId: &other, ResourceType: chat, StorageConfig: storageConfigOf(types.StorageTypeS3)})
		wantErr[*types.ResourceNotFoundException](t, err, other)
		_, err = f.client.ListInstanceStorageConfigs(c, &connect.ListInstanceStorageConfigsInput{InstanceId: &other, ResourceType: chat})
		wantErr[*types.ResourceNotFoundException](t, err, other)
		_, err = f.client.DescribeInstanceStorageConfig(c, &connect.DescribeInstanceStorageConfigInput{InstanceId: &other, AssociationId: &id, ResourceType: chat})
		wantErr[*types.ResourceNotFoundException](t, err, other)
	})
	t.Run("the instance ARN is accepted for the id", func(t *testing.T) {
		arn := "arn:aws:connect:" + region + ":000000000000:instance/" + f.instance
		got := call(f.client.DescribeInstanceStorageConfig(c, &connect.DescribeInstanceStorageConfigInput{InstanceId: &arn, AssociationId: &id, ResourceType: chat})).must(t)
		if aws.ToString(got.StorageConfig.AssociationId) != id {
			t.Errorf("described %s", mustJSON(got.StorageConfig))
		}
	})
	t.Run("after Disassociate the resource type can be associated again", func(t *testing.T) {
		call(f.client.DisassociateInstanceStorageConfig(c, &connect.DisassociateInstanceStorageConfigInput{InstanceId: &f.instance, AssociationId: &id, ResourceType: chat})).must(t)
		_, err := f.client.DisassociateInstanceStorageConfig(c, &connect.DisassociateInstanceStorageConfigInput{InstanceId: &f.instance, AssociationId: &id, ResourceType: chat})
		wantErr[*types.ResourceNotFoundException](t, err, id)
		again, err := f.associateStorage(t, chat, s3Bucket("other-bucket"))
		if err != nil {
			t.Fatal(err)
		}
		if again == id {
			t.Errorf("the new association reuses the old id %s", id)
		}
	})
	t.Run("a repeated ClientToken answers the first association", func(t *testing.T) {
		in := &connect.AssociateInstanceStorageConfigInput{InstanceId: &f.instance, ResourceType: types.InstanceStorageResourceTypeAgentEvents,
			StorageConfig: storageConfigOf(types.StorageTypeKinesisStream), ClientToken: aws.String("agent-events-1")}
		first := call(f.client.AssociateInstanceStorageConfig(c, in)).must(t)
		second := call(f.client.AssociateInstanceStorageConfig(c, in)).must(t)
		if aws.ToString(first.AssociationId) != aws.ToString(second.AssociationId) {
			t.Errorf("retry answered %s, first %s", aws.ToString(second.AssociationId), aws.ToString(first.AssociationId))
		}
		in.StorageConfig = &types.InstanceStorageConfig{StorageType: types.StorageTypeKinesisStream, KinesisStreamConfig: &types.KinesisStreamConfig{StreamArn: aws.String(testStreamARN + "-2")}}
		_, err := f.client.AssociateInstanceStorageConfig(c, in)
		wantErr[*types.ResourceConflictException](t, err, "ClientToken")
	})
}

func s3Bucket(name string) *types.InstanceStorageConfig {
	c := storageConfigOf(types.StorageTypeS3)
	c.S3Config.BucketName = aws.String(name)
	return c
}

// TestUpdateInstanceStorageConfig: Update replaces the whole config, storage
// type included, under the same rules as Associate.
func TestUpdateInstanceStorageConfig(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	update := func(id string, rt types.InstanceStorageResourceType, cfg *types.InstanceStorageConfig) error {
		_, err := f.client.UpdateInstanceStorageConfig(c, &connect.UpdateInstanceStorageConfigInput{InstanceId: &f.instance, AssociationId: &id, ResourceType: rt, StorageConfig: cfg})
		return err
	}
	ctr, chat := types.InstanceStorageResourceTypeContactTraceRecords, types.InstanceStorageResourceTypeChatTranscripts
	ctrID, err := f.associateStorage(t, ctr, storageConfigOf(types.StorageTypeKinesisStream))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("the storage type can change to another the resource type takes", func(t *testing.T) {
		if err := update(ctrID, ctr, storageConfigOf(types.StorageTypeKinesisFirehose)); err != nil {
			t.Fatal(err)
		}
		got, err := f.describeStorage(t, ctrID, ctr)
		if err != nil || got.StorageType != types.StorageTypeKinesisFirehose || got.KinesisStreamConfig != nil || aws.ToString(got.KinesisFirehoseConfig.FirehoseArn) != testFirehoseARN {
			t.Fatalf("%v %s", err, mustJSON(got))
		}
	})
	t.Run("a storage type the resource type does not take is refused", func(t *testing.T) {
		err := update(ctrID, ctr, storageConfigOf(types.StorageTypeS3))
		wantErr[*types.InvalidParameterException](t, err, "StorageType", "S3")
		if got, _ := f.describeStorage(t, ctrID, ctr); got.StorageType != types.StorageTypeKinesisFirehose {
			t.Errorf("a refused Update changed the config: %s", mustJSON(got))
		}
	})
	t.Run("the config's members are checked as on Associate", func(t *testing.T) {
		err := update(ctrID, ctr, &types.InstanceStorageConfig{StorageType: types.StorageTypeKinesisStream,
			KinesisStreamConfig: &types.KinesisStreamConfig{StreamArn: aws.String("arn:aws:kinesis:eu-west-1:000000000000:stream/x")}})
		wantErr[*types.InvalidParameterException](t, err, "StreamArn")
	})
	chatID, err := f.associateStorage(t, chat, &types.InstanceStorageConfig{StorageType: types.StorageTypeS3, S3Config: &types.S3Config{
		BucketName: aws.String("connect-bucket"), BucketPrefix: aws.String("chats"),
		EncryptionConfig: &types.EncryptionConfig{EncryptionType: types.EncryptionTypeKms, KeyId: aws.String(testKeyARN)}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("members left out of the new config are gone", func(t *testing.T) {
		if err := update(chatID, chat, s3Bucket("new-bucket")); err != nil {
			t.Fatal(err)
		}
		got, err := f.describeStorage(t, chatID, chat)
		if err != nil || aws.ToString(got.S3Config.BucketName) != "new-bucket" || aws.ToString(got.S3Config.BucketPrefix) != "connect/records" || got.S3Config.EncryptionConfig != nil {
			t.Fatalf("%v %s", err, mustJSON(got))
		}
		if aws.ToString(got.AssociationId) != chatID {
			t.Errorf("AssociationId changed to %s", aws.ToString(got.AssociationId))
		}
	})
}

// TestVideoStreamPrefix: Connect answers a video stream prefix with
// "-connect-<instance alias>-contact-" appended, once.
func TestVideoStreamPrefix(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	media := types.InstanceStorageResourceTypeMediaStreams
	cfg := storageConfigOf(types.StorageTypeKinesisVideoStream)
	cfg.KinesisVideoStreamConfig.Prefix = aws.String("originalPrefix")
	id, err := f.associateStorage(t, media, cfg)
	if err != nil {
		t.Fatal(err)
	}
	prefix := func() string {
		t.Helper()
		got, err := f.describeStorage(t, id, media)
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(got.KinesisVideoStreamConfig.Prefix)
	}
	if got := prefix(); got != "originalPrefix-connect-fx-conn-contact-" {
		t.Fatalf("prefix %q", got)
	}
	update := func(p string) {
		t.Helper()
		cfg.KinesisVideoStreamConfig.Prefix = aws.String(p)
		call(f.client.UpdateInstanceStorageConfig(ctx(t), &connect.UpdateInstanceStorageConfigInput{InstanceId: &f.instance, AssociationId: &id, ResourceType: media, StorageConfig: cfg})).must(t)
	}
	update("updatedPrefix")
	if got := prefix(); got != "updatedPrefix-connect-fx-conn-contact-" {
		t.Errorf("updated prefix %q", got)
	}
	update("updatedPrefix-connect-fx-conn-contact-")
	if got := prefix(); got != "updatedPrefix-connect-fx-conn-contact-" {
		t.Errorf("a prefix written back as read became %q", got)
	}

	t.Run("an instance without an alias uses its id", func(t *testing.T) {
		d := newFixture(t, types.DirectoryTypeExistingDirectory, options{})
		id, err := d.associateStorage(t, media, storageConfigOf(types.StorageTypeKinesisVideoStream))
		if err != nil {
			t.Fatal(err)
		}
		got, err := d.describeStorage(t, id, media)
		if err != nil || aws.ToString(got.KinesisVideoStreamConfig.Prefix) != "media-connect-"+d.instance+"-contact-" {
			t.Fatalf("%v %s", err, mustJSON(got))
		}
	})
}

// TestTerraformInstanceStorageConfig replays what terraform-provider-aws's
// aws_connect_instance_storage_config does in its acceptance tests (which
// run against AWS): associate, read, update, import by
// "{instance}:{association}:{resourceType}" and read, disassociate, and the
// read after destroy.
func TestTerraformInstanceStorageConfig(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	for _, tc := range []struct {
		name           string
		rt             types.InstanceStorageResourceType
		create, update *types.InstanceStorageConfig
	}{
		{"S3Config_BucketName", types.InstanceStorageResourceTypeChatTranscripts,
			&types.InstanceStorageConfig{StorageType: types.StorageTypeS3, S3Config: &types.S3Config{BucketName: aws.String("resource-test-terraform-1"), BucketPrefix: aws.String("tf-test-Chat-Transcripts")}},
			&types.InstanceStorageConfig{StorageType: types.StorageTypeS3, S3Config: &types.S3Config{BucketName: aws.String("resource-test-terraform-2"), BucketPrefix: aws.String("tf-test-Chat-Transcripts")}}},
		{"KinesisFirehoseConfig_FirehoseARN", types.InstanceStorageResourceTypeContactTraceRecords,
			&types.InstanceStorageConfig{StorageType: types.StorageTypeKinesisFirehose, KinesisFirehoseConfig: &types.KinesisFirehoseConfig{FirehoseArn: aws.String(testFirehoseARN)}},
			&types.InstanceStorageConfig{StorageType: types.StorageTypeKinesisFirehose, KinesisFirehoseConfig: &types.KinesisFirehoseConfig{FirehoseArn: aws.String(testFirehoseARN + "-2")}}},
		{"KinesisVideoStreamConfig_Retention", types.InstanceStorageResourceTypeMediaStreams,
			&types.InstanceStorageConfig{StorageType: types.StorageTypeKinesisVideoStream, KinesisVideoStreamConfig: &types.KinesisVideoStreamConfig{Prefix: aws.String("examplePrefix"), RetentionPeriodHours: 0,
				EncryptionConfig: &types.EncryptionConfig{EncryptionType: types.EncryptionTypeKms, KeyId: aws.String(testKeyARN)}}},
			&types.InstanceStorageConfig{StorageType: types.StorageTypeKinesisVideoStream, KinesisVideoStreamConfig: &types.KinesisVideoStreamConfig{Prefix: aws.String("examplePrefix"), RetentionPeriodHours: 87600,
				EncryptionConfig: &types.EncryptionConfig{EncryptionType: types.EncryptionTypeKms, KeyId: aws.String(testKeyARN)}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Create: Associate, then Read through Describe.
			id, err := f.associateStorage(t, tc.rt, tc.create)
			if err != nil {
				t.Fatal(err)
			}
			tfID := f.instance + ":" + id + ":" + string(tc.rt)
			read := func(tfID string) *types.InstanceStorageConfig {
				t.Helper()
				parts := strings.SplitN(tfID, ":", 3)
				got := call(f.client.DescribeInstanceStorageConfig(c, &connect.DescribeInstanceStorageConfigInput{InstanceId: &parts[0], AssociationId: &parts[1], ResourceType: types.InstanceStorageResourceType(parts[2])})).must(t)
				if aws.ToString(got.StorageConfig.AssociationId) != parts[1] {
					t.Fatalf("read %s: %s", tfID, mustJSON(got.StorageConfig))
				}
				return got.StorageConfig
			}
			created := read(tfID)
			if created.StorageType != tc.create.StorageType {
				t.Fatalf("created %s", mustJSON(created))
			}
			// Import: the same Read from the composite id alone gives the same state.
			if imported := read(tfID); mustJSON(imported) != mustJSON(created) {
				t.Errorf("import read %s, state %s", mustJSON(imported), mustJSON(created))
			}
			// Update: the whole storage_config, then Read.
			call(f.client.UpdateInstanceStorageConfig(c, &connect.UpdateInstanceStorageConfigInput{InstanceId: &f.instance, AssociationId: &id, ResourceType: tc.rt, StorageConfig: tc.update})).must(t)
			updated := read(tfID)
			want := *tc.update
			want.AssociationId = &id
			if v := tc.update.KinesisVideoStreamConfig; v != nil {
				kv := *v
				kv.Prefix = aws.String(*v.Prefix + "-connect-fx-conn-contact-")
				want.KinesisVideoStreamConfig = &kv
			}
			if mustJSON(updated) != mustJSON(&want) {
				t.Errorf("after update %s\nwant %s", mustJSON(updated), mustJSON(&want))
			}
			// Delete, then CheckDestroy's read.
			call(f.client.DisassociateInstanceStorageConfig(c, &connect.DisassociateInstanceStorageConfigInput{InstanceId: &f.instance, AssociationId: &id, ResourceType: tc.rt})).must(t)
			_, err = f.describeStorage(t, id, tc.rt)
			wantErr[*types.ResourceNotFoundException](t, err)
		})
	}
}

// callStorageConfigOperations calls every implemented operation of this file's
// resources that has an output, for TestEveryAnswerSendsWhatAlwaysSentNames:
// with nothing to list first (checking the empty answers through rec),
// then filled in.
func callStorageConfigOperations(t *testing.T, f *fixture, rec *recorder) {
	c := ctx(t)
	rt := types.InstanceStorageResourceTypeCallRecordings
	call(f.client.ListInstanceStorageConfigs(c, &connect.ListInstanceStorageConfigsInput{InstanceId: &f.instance, ResourceType: rt})).must(t)
	if got := rec.last(t, "ListInstanceStorageConfigs"); mustJSON(got["StorageConfigs"]) != "[]" {
		t.Errorf("ListInstanceStorageConfigs with nothing to list: %s", mustJSON(got))
	}
	id := *call(f.client.AssociateInstanceStorageConfig(c, &connect.AssociateInstanceStorageConfigInput{InstanceId: &f.instance, ResourceType: rt,
		StorageConfig: storageConfigOf(types.StorageTypeS3)})).must(t).AssociationId
	call(f.client.DescribeInstanceStorageConfig(c, &connect.DescribeInstanceStorageConfigInput{InstanceId: &f.instance, AssociationId: &id, ResourceType: rt})).must(t)
	call(f.client.ListInstanceStorageConfigs(c, &connect.ListInstanceStorageConfigsInput{InstanceId: &f.instance, ResourceType: rt})).must(t)
}
