package e2e

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/switchboard-dev/switchboard/service"
)

// Tests of the integrations of an instance: Lambda functions, Lex bots,
// approved origins and security keys (vocabularies and integration
// associations are in integrations_*_test.go).

const (
	account    = "000000000000"
	lambdaARN  = "arn:aws:lambda:" + region + ":" + account + ":function:greeter"
	aliasARN   = "arn:aws:lex:" + region + ":" + account + ":bot-alias/ABCDEFGHIJ/TSTALIASID"
	aliasARN2  = "arn:aws:lex:" + region + ":" + account + ":bot-alias/ABCDEFGHIJ/KLMNOPQRST"
	eventARN   = "arn:aws:app-integrations:" + region + ":" + account + ":event-integration/salesforce"
	casesARN   = "arn:aws:cases:" + region + ":" + account + ":domain/0b6f6c8e-2d0c-4b7e-9a53-0c4f3f1b9d27"
	vocabTable = "Phrase\tIPA\tSoundsLike\tDisplayAs\nLos-Angeles\t\t\tLos Angeles\nSwitchboard\t\tswitch-bored\t\n"
)

// publicKeyPEM returns a fresh ECDSA public key in PEM form.
func publicKeyPEM(t *testing.T) string {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// callIntegrationOperations calls every implemented operation of this file's
// resources that has an output, for TestEveryAnswerSendsWhatAlwaysSentNames:
// with nothing to list first (checking the empty answers through rec),
// then filled in.
func callIntegrationOperations(t *testing.T, f *fixture, rec *recorder) {
	t.Helper()
	c, in := ctx(t), &f.instance
	lists := func() {
		call(f.client.ListLambdaFunctions(c, &connect.ListLambdaFunctionsInput{InstanceId: in})).must(t)
		call(f.client.ListBots(c, &connect.ListBotsInput{InstanceId: in, LexVersion: types.LexVersionV2})).must(t)
		call(f.client.ListLexBots(c, &connect.ListLexBotsInput{InstanceId: in})).must(t)
		call(f.client.ListApprovedOrigins(c, &connect.ListApprovedOriginsInput{InstanceId: in})).must(t)
		call(f.client.ListSecurityKeys(c, &connect.ListSecurityKeysInput{InstanceId: in})).must(t)
		call(f.client.ListIntegrationAssociations(c, &connect.ListIntegrationAssociationsInput{InstanceId: in})).must(t)
		call(f.client.SearchVocabularies(c, &connect.SearchVocabulariesInput{InstanceId: in})).must(t)
		call(f.client.ListDefaultVocabularies(c, &connect.ListDefaultVocabulariesInput{InstanceId: in})).must(t)
	}
	lists()
	for op, member := range map[string]string{"ListLambdaFunctions": "LambdaFunctions", "ListBots": "LexBots", "ListLexBots": "LexBots",
		"ListApprovedOrigins": "Origins", "ListSecurityKeys": "SecurityKeys", "ListIntegrationAssociations": "IntegrationAssociationSummaryList",
		"SearchVocabularies": "VocabularySummaryList", "ListDefaultVocabularies": "DefaultVocabularyList"} {
		if got, ok := rec.last(t, op)[member].([]any); !ok || len(got) != 0 {
			t.Errorf("%s with nothing to list: %s = %#v, want []", op, member, rec.last(t, op)[member])
		}
	}
	call(f.client.AssociateLambdaFunction(c, &connect.AssociateLambdaFunctionInput{InstanceId: in, FunctionArn: aws.String(lambdaARN)})).must(t)
	call(f.client.AssociateBot(c, &connect.AssociateBotInput{InstanceId: in, LexV2Bot: &types.LexV2Bot{AliasArn: aws.String(aliasARN)}})).must(t)
	call(f.client.AssociateLexBot(c, &connect.AssociateLexBotInput{InstanceId: in, LexBot: &types.LexBot{Name: aws.String("OrderFlowers"), LexRegion: aws.String(region)}})).must(t)
	call(f.client.AssociateApprovedOrigin(c, &connect.AssociateApprovedOriginInput{InstanceId: in, Origin: aws.String("https://example.com")})).must(t)
	call(f.client.AssociateSecurityKey(c, &connect.AssociateSecurityKeyInput{InstanceId: in, Key: aws.String(publicKeyPEM(t))})).must(t)
	assoc := call(f.client.CreateIntegrationAssociation(c, &connect.CreateIntegrationAssociationInput{InstanceId: in,
		IntegrationType: types.IntegrationTypeCasesDomain, IntegrationArn: aws.String(casesARN)})).must(t).IntegrationAssociationId
	call(f.client.ListUseCases(c, &connect.ListUseCasesInput{InstanceId: in, IntegrationAssociationId: assoc})).must(t)
	if got, ok := rec.last(t, "ListUseCases")["UseCaseSummaryList"].([]any); !ok || len(got) != 0 {
		t.Errorf("ListUseCases with nothing to list: %#v", got)
	}
	call(f.client.CreateUseCase(c, &connect.CreateUseCaseInput{InstanceId: in, IntegrationAssociationId: assoc, UseCaseType: types.UseCaseTypeRulesEvaluation})).must(t)
	call(f.client.ListUseCases(c, &connect.ListUseCasesInput{InstanceId: in, IntegrationAssociationId: assoc})).must(t)
	vocab := call(f.client.CreateVocabulary(c, &connect.CreateVocabularyInput{InstanceId: in, VocabularyName: aws.String("terms"),
		LanguageCode: types.VocabularyLanguageCodeEnUs, Content: aws.String(vocabTable)})).must(t).VocabularyId
	call(f.client.DescribeVocabulary(c, &connect.DescribeVocabularyInput{InstanceId: in, VocabularyId: vocab})).must(t)
	call(f.client.AssociateDefaultVocabulary(c, &connect.AssociateDefaultVocabularyInput{InstanceId: in, LanguageCode: types.VocabularyLanguageCodeEnUs, VocabularyId: vocab})).must(t)
	lists()
	call(f.client.AssociateDefaultVocabulary(c, &connect.AssociateDefaultVocabularyInput{InstanceId: in, LanguageCode: types.VocabularyLanguageCodeEnUs})).must(t)
	call(f.client.DeleteVocabulary(c, &connect.DeleteVocabularyInput{InstanceId: in, VocabularyId: vocab})).must(t)
}

// TestLambdaFunctionRules: one case per rule of AssociateLambdaFunction,
// DisassociateLambdaFunction and ListLambdaFunctions.
func TestLambdaFunctionRules(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{quotas: service.Quotas{LambdaFunctionsPerInstance: 2}})
	c := ctx(t)
	assoc := func(arn, token string) error {
		in := &connect.AssociateLambdaFunctionInput{InstanceId: &f.instance, FunctionArn: aws.String(arn)}
		if token != "" {
			in.ClientToken = aws.String(token)
		}
		_, err := f.client.AssociateLambdaFunction(c, in)
		return err
	}
	for name, arn := range map[string]string{
		"not an ARN":            "greeter",
		"another service":       "arn:aws:sns:" + region + ":" + account + ":greeter",
		"no function segment":   "arn:aws:lambda:" + region + ":" + account + ":greeter",
		"bad function name":     "arn:aws:lambda:" + region + ":" + account + ":function:greet er",
		"short account":         "arn:aws:lambda:" + region + ":1234:function:greeter",
		"another region":        "arn:aws:lambda:eu-west-1:" + account + ":function:greeter",
		"another account":       "arn:aws:lambda:" + region + ":111122223333:function:greeter",
		"another partition":     "arn:aws-cn:lambda:" + region + ":" + account + ":function:greeter",
		"layer, not a function": "arn:aws:lambda:" + region + ":" + account + ":layer:greeter",
		"empty qualifier":       lambdaARN + ":",
		"too many segments":     lambdaARN + ":1:2",
	} {
		t.Run(name, func(t *testing.T) { wantErr[*types.InvalidParameterException](t, assoc(arn, ""), "FunctionArn") })
	}
	t.Run("associated twice conflicts", func(t *testing.T) {
		if err := assoc(lambdaARN, "tok"); err != nil {
			t.Fatal(err)
		}
		wantErr[*types.ResourceConflictException](t, assoc(lambdaARN, ""), lambdaARN)
	})
	t.Run("a retry with the same ClientToken succeeds", func(t *testing.T) {
		if err := assoc(lambdaARN, "tok"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("qualified ARNs are their own associations", func(t *testing.T) {
		if err := assoc(lambdaARN+":live", ""); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("quota", func(t *testing.T) {
		wantErr[*types.ServiceQuotaExceededException](t, assoc(lambdaARN+":$LATEST", ""), "2")
	})
	t.Run("listed in association order, paged", func(t *testing.T) {
		var got []string
		p := connect.NewListLambdaFunctionsPaginator(f.client, &connect.ListLambdaFunctionsInput{InstanceId: &f.instance, MaxResults: aws.Int32(1)})
		for p.HasMorePages() {
			got = append(got, call(p.NextPage(c)).must(t).LambdaFunctions...)
		}
		if len(got) != 2 || got[0] != lambdaARN || got[1] != lambdaARN+":live" {
			t.Errorf("listed %v", got)
		}
	})
	t.Run("disassociating what is not associated", func(t *testing.T) {
		_, err := f.client.DisassociateLambdaFunction(c, &connect.DisassociateLambdaFunctionInput{InstanceId: &f.instance, FunctionArn: aws.String(lambdaARN + ":other")})
		wantErr[*types.ResourceNotFoundException](t, err, lambdaARN+":other")
	})
	t.Run("unknown instance", func(t *testing.T) {
		_, err := f.client.ListLambdaFunctions(c, &connect.ListLambdaFunctionsInput{InstanceId: aws.String("00000000-0000-0000-0000-000000000000")})
		wantErr[*types.ResourceNotFoundException](t, err)
	})
}

// TestTerraformLambdaFunctionAssociation replays
// aws_connect_lambda_function_association: create (Associate, then the
// read: ListLambdaFunctions pages of 25 looking for the ARN), refresh,
// delete (Disassociate, ResourceNotFoundException tolerated), and the
// refresh after deletion that finds it gone.
func TestTerraformLambdaFunctionAssociation(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	find := func() int {
		n := 0
		p := connect.NewListLambdaFunctionsPaginator(f.client, &connect.ListLambdaFunctionsInput{InstanceId: &f.instance, MaxResults: aws.Int32(25)})
		for p.HasMorePages() {
			for _, v := range call(p.NextPage(c)).must(t).LambdaFunctions {
				if v == lambdaARN {
					n++
				}
			}
		}
		return n
	}
	call(f.client.AssociateLambdaFunction(c, &connect.AssociateLambdaFunctionInput{InstanceId: &f.instance, FunctionArn: aws.String(lambdaARN)})).must(t)
	for i := 0; i < 2; i++ {
		if n := find(); n != 1 {
			t.Fatalf("read %d: found %d times", i, n)
		}
	}
	call(f.client.DisassociateLambdaFunction(c, &connect.DisassociateLambdaFunctionInput{InstanceId: &f.instance, FunctionArn: aws.String(lambdaARN)})).must(t)
	if n := find(); n != 0 {
		t.Fatalf("found %d times after delete", n)
	}
	_, err := f.client.DisassociateLambdaFunction(c, &connect.DisassociateLambdaFunctionInput{InstanceId: &f.instance, FunctionArn: aws.String(lambdaARN)})
	wantErr[*types.ResourceNotFoundException](t, err)
}

// TestBotRules: one case per rule of the bot operations, V1 and V2, and
// the older LexBot operations sharing their records.
func TestBotRules(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{quotas: service.Quotas{LexBotsPerInstance: 2}})
	c, in := ctx(t), &f.instance
	v1 := func(name, reg string) *types.LexBot {
		return &types.LexBot{Name: aws.String(name), LexRegion: aws.String(reg)}
	}
	bot := func(b1 *types.LexBot, b2 *types.LexV2Bot) error {
		_, err := f.client.AssociateBot(c, &connect.AssociateBotInput{InstanceId: in, LexBot: b1, LexV2Bot: b2})
		return err
	}
	t.Run("neither bot", func(t *testing.T) { wantErr[*types.InvalidRequestException](t, bot(nil, nil), "LexBot", "LexV2Bot") })
	t.Run("both bots", func(t *testing.T) {
		wantErr[*types.InvalidRequestException](t, bot(v1("Orders", region), &types.LexV2Bot{AliasArn: aws.String(aliasARN)}), "LexBot", "LexV2Bot")
	})
	t.Run("V2 without an alias ARN", func(t *testing.T) {
		wantErr[*types.InvalidRequestException](t, bot(nil, &types.LexV2Bot{}), "AliasArn")
	})
	for name, arn := range map[string]string{
		"not a Lex ARN":       lambdaARN,
		"a bot, not an alias": "arn:aws:lex:" + region + ":" + account + ":bot/ABCDEFGHIJ",
		"short bot id":        "arn:aws:lex:" + region + ":" + account + ":bot-alias/ABC/TSTALIASID",
		"a V1 bot ARN":        "arn:aws:lex:" + region + ":" + account + ":bot:Orders",
		"another region":      "arn:aws:lex:eu-west-2:" + account + ":bot-alias/ABCDEFGHIJ/TSTALIASID",
		"another account":     "arn:aws:lex:" + region + ":111122223333:bot-alias/ABCDEFGHIJ/TSTALIASID",
	} {
		t.Run("V2 "+name, func(t *testing.T) {
			wantErr[*types.InvalidRequestException](t, bot(nil, &types.LexV2Bot{AliasArn: aws.String(arn)}), "AliasArn")
		})
	}
	for name, b := range map[string]*types.LexBot{
		"V1 name too short":      v1("O", region),
		"V1 name with a digit":   v1("Orders2", region),
		"V1 name double _":       v1("Order__Flowers", region),
		"V1 region not a region": v1("Orders", "virginia"),
	} {
		t.Run(name, func(t *testing.T) { wantErr[*types.InvalidRequestException](t, bot(b, nil), "LexBot.") })
	}
	t.Run("AssociateLexBot answers InvalidParameterException", func(t *testing.T) {
		_, err := f.client.AssociateLexBot(c, &connect.AssociateLexBotInput{InstanceId: in, LexBot: v1("O", region)})
		wantErr[*types.InvalidParameterException](t, err, "LexBot.Name")
	})
	t.Run("V1 and V2 associated", func(t *testing.T) {
		if err := bot(v1("Order_Flowers", "us-west-2"), nil); err != nil {
			t.Fatal(err)
		}
		if err := bot(nil, &types.LexV2Bot{AliasArn: aws.String(aliasARN)}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("twice conflicts", func(t *testing.T) {
		wantErr[*types.ResourceConflictException](t, bot(v1("Order_Flowers", "us-west-2"), nil), "Order_Flowers")
		_, err := f.client.AssociateLexBot(c, &connect.AssociateLexBotInput{InstanceId: in, LexBot: v1("Order_Flowers", "us-west-2")})
		wantErr[*types.ResourceConflictException](t, err, "Order_Flowers")
		wantErr[*types.ResourceConflictException](t, bot(nil, &types.LexV2Bot{AliasArn: aws.String(aliasARN)}), aliasARN)
	})
	t.Run("the same name in another region is another bot", func(t *testing.T) {
		if err := bot(v1("Order_Flowers", region), nil); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("V1 quota, V2 aliases counted apart", func(t *testing.T) {
		wantErr[*types.ServiceQuotaExceededException](t, bot(v1("Third", region), nil), "2")
		if err := bot(nil, &types.LexV2Bot{AliasArn: aws.String(aliasARN2)}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ListBots by version, ListLexBots V1 only", func(t *testing.T) {
		b1 := call(f.client.ListBots(c, &connect.ListBotsInput{InstanceId: in, LexVersion: types.LexVersionV1})).must(t).LexBots
		b2 := call(f.client.ListBots(c, &connect.ListBotsInput{InstanceId: in, LexVersion: types.LexVersionV2})).must(t).LexBots
		old := call(f.client.ListLexBots(c, &connect.ListLexBotsInput{InstanceId: in})).must(t).LexBots
		if len(b1) != 2 || b1[0].LexV2Bot != nil || *b1[0].LexBot.Name != "Order_Flowers" || *b1[0].LexBot.LexRegion != "us-west-2" ||
			*b1[1].LexBot.LexRegion != region {
			t.Errorf("V1: %+v", b1)
		}
		if len(b2) != 2 || b2[0].LexBot != nil || *b2[0].LexV2Bot.AliasArn != aliasARN || *b2[1].LexV2Bot.AliasArn != aliasARN2 {
			t.Errorf("V2: %+v", b2)
		}
		if len(old) != 2 || *old[0].Name != "Order_Flowers" {
			t.Errorf("ListLexBots: %+v", old)
		}
	})
	t.Run("disassociated through either family", func(t *testing.T) {
		call(f.client.DisassociateLexBot(c, &connect.DisassociateLexBotInput{InstanceId: in, BotName: aws.String("Order_Flowers"), LexRegion: aws.String(region)})).must(t)
		call(f.client.DisassociateBot(c, &connect.DisassociateBotInput{InstanceId: in, LexBot: v1("Order_Flowers", "us-west-2")})).must(t)
		call(f.client.DisassociateBot(c, &connect.DisassociateBotInput{InstanceId: in, LexV2Bot: &types.LexV2Bot{AliasArn: aws.String(aliasARN)}})).must(t)
		_, err := f.client.DisassociateBot(c, &connect.DisassociateBotInput{InstanceId: in, LexV2Bot: &types.LexV2Bot{AliasArn: aws.String(aliasARN)}})
		wantErr[*types.ResourceNotFoundException](t, err, aliasARN)
		_, err = f.client.DisassociateLexBot(c, &connect.DisassociateLexBotInput{InstanceId: in, BotName: aws.String("Order_Flowers"), LexRegion: aws.String(region)})
		wantErr[*types.ResourceNotFoundException](t, err, "Order_Flowers")
		_, err = f.client.DisassociateBot(c, &connect.DisassociateBotInput{InstanceId: in})
		wantErr[*types.InvalidRequestException](t, err, "LexBot")
	})
}

// TestTerraformBotAssociation replays aws_connect_bot_association: AssociateBot
// with LexBot (LexRegion defaulted to the provider's region), the read
// (ListBots V1 in pages, looking for name and region), delete
// (DisassociateBot, ResourceNotFoundException tolerated) and the read that
// finds it gone.
func TestTerraformBotAssociation(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c := ctx(t)
	find := func() *types.LexBot {
		p := connect.NewListBotsPaginator(f.client, &connect.ListBotsInput{InstanceId: &f.instance, LexVersion: types.LexVersionV1, MaxResults: aws.Int32(25)})
		for p.HasMorePages() {
			for _, b := range call(p.NextPage(c)).must(t).LexBots {
				if b.LexBot != nil && *b.LexBot.Name == "Test_Bot" && *b.LexBot.LexRegion == region {
					return b.LexBot
				}
			}
		}
		return nil
	}
	lex := &types.LexBot{Name: aws.String("Test_Bot"), LexRegion: aws.String(region)}
	call(f.client.AssociateBot(c, &connect.AssociateBotInput{InstanceId: &f.instance, LexBot: lex})).must(t)
	if find() == nil || find() == nil {
		t.Fatal("the association is not listed")
	}
	call(f.client.DisassociateBot(c, &connect.DisassociateBotInput{InstanceId: &f.instance, LexBot: lex})).must(t)
	if find() != nil {
		t.Fatal("listed after delete")
	}
	_, err := f.client.DisassociateBot(c, &connect.DisassociateBotInput{InstanceId: &f.instance, LexBot: lex})
	wantErr[*types.ResourceNotFoundException](t, err)
}

// TestApprovedOriginRules: one case per rule of the origin operations.
func TestApprovedOriginRules(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c, in := ctx(t), &f.instance
	assoc := func(o string) error {
		_, err := f.client.AssociateApprovedOrigin(c, &connect.AssociateApprovedOriginInput{InstanceId: in, Origin: aws.String(o)})
		return err
	}
	for _, o := range []string{"", "example.com", "ftp://example.com", "https://", "https://example.com/", "https://example.com/app",
		"https://example.com?x=1", "https://example.com#top", "https://user@example.com"} {
		t.Run("refused "+o, func(t *testing.T) { wantErr[*types.InvalidParameterException](t, assoc(o), "Origin") })
	}
	for _, o := range []string{"https://example.com", "http://localhost:3000", "https://app.example.co.uk:8443"} {
		t.Run("accepted "+o, func(t *testing.T) {
			if err := assoc(o); err != nil {
				t.Fatal(err)
			}
		})
	}
	t.Run("twice conflicts", func(t *testing.T) {
		wantErr[*types.ResourceConflictException](t, assoc("https://example.com"), "https://example.com")
	})
	t.Run("listed as given, in order", func(t *testing.T) {
		got := call(f.client.ListApprovedOrigins(c, &connect.ListApprovedOriginsInput{InstanceId: in})).must(t).Origins
		if len(got) != 3 || got[0] != "https://example.com" || got[1] != "http://localhost:3000" {
			t.Errorf("listed %v", got)
		}
	})
	t.Run("disassociated, then not found", func(t *testing.T) {
		call(f.client.DisassociateApprovedOrigin(c, &connect.DisassociateApprovedOriginInput{InstanceId: in, Origin: aws.String("https://example.com")})).must(t)
		_, err := f.client.DisassociateApprovedOrigin(c, &connect.DisassociateApprovedOriginInput{InstanceId: in, Origin: aws.String("https://example.com")})
		wantErr[*types.ResourceNotFoundException](t, err, "https://example.com")
	})
}

// TestSecurityKeyRules: one case per rule of the security key operations.
func TestSecurityKeyRules(t *testing.T) {
	f := newFixture(t, types.DirectoryTypeConnectManaged, options{})
	c, in := ctx(t), &f.instance
	assoc := func(k string) (*connect.AssociateSecurityKeyOutput, error) {
		return f.client.AssociateSecurityKey(c, &connect.AssociateSecurityKeyInput{InstanceId: in, Key: aws.String(k)})
	}
	k1, k2 := publicKeyPEM(t), publicKeyPEM(t)
	for name, k := range map[string]string{
		"not PEM":              "hello",
		"a certificate block":  "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
		"garbage in the block": "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
		"two keys":             k1 + k2,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := assoc(k)
			wantErr[*types.InvalidParameterException](t, err, "Key")
		})
	}
	var first string
	t.Run("associated with an id and its time", func(t *testing.T) {
		first = *call(assoc(k1)).must(t).AssociationId
		keys := call(f.client.ListSecurityKeys(c, &connect.ListSecurityKeysInput{InstanceId: in})).must(t).SecurityKeys
		if len(keys) != 1 || *keys[0].AssociationId != first || *keys[0].Key != k1 || keys[0].CreationTime == nil {
			t.Errorf("listed %+v", keys)
		}
	})
	t.Run("the same key twice conflicts", func(t *testing.T) {
		_, err := assoc(k1)
		wantErr[*types.ResourceConflictException](t, err, first)
	})
	t.Run("at most two", func(t *testing.T) {
		call(assoc(k2)).must(t)
		_, err := assoc(publicKeyPEM(t))
		wantErr[*types.ServiceQuotaExceededException](t, err, "2")
	})
	t.Run("disassociated, then not found", func(t *testing.T) {
		call(f.client.DisassociateSecurityKey(c, &connect.DisassociateSecurityKeyInput{InstanceId: in, AssociationId: &first})).must(t)
		_, err := f.client.DisassociateSecurityKey(c, &connect.DisassociateSecurityKeyInput{InstanceId: in, AssociationId: &first})
		wantErr[*types.ResourceNotFoundException](t, err, first)
	})
}
