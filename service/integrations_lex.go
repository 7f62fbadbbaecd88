package service

import (
	"context"
	"regexp"
	"strings"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// Lex bots an instance may use: AssociateBot, DisassociateBot and ListBots
// for Amazon Lex (V1, by name and region) and Amazon Lex V2 (by alias ARN),
// and the older AssociateLexBot, DisassociateLexBot and ListLexBots, which
// know V1 bots only. Both families share the records: a V1 bot associated
// through one is listed and disassociated through the other.

// lexV2AliasesPerInstance is Connect's default quota of Lex V2 bot aliases
// per instance (Service Quotas L-CCEA7427); V1 bots count against
// Quotas.LexBotsPerInstance.
const lexV2AliasesPerInstance = 100

var (
	// lexBotNameForm is Lex V1's bot name rule (PutBot): letters, single
	// underscores between them, 2 to 50 characters.
	lexBotNameForm = regexp.MustCompile(`^([A-Za-z]_?)+$`)
	// lexAliasForm is a Lex V2 alias ARN's resource part:
	// bot-alias/{botId}/{botAliasId}, both ten alphanumerics (TSTALIASID is
	// the test alias every bot has).
	lexAliasForm = regexp.MustCompile(`^bot-alias/[0-9A-Za-z]{10}/[0-9A-Za-z]{10}$`)
)

// lexBotDoc is what the store keeps of an associated bot.
type lexBotDoc struct {
	association
	Version  string `json:"version"` // V1 or V2
	Name     string `json:"name,omitempty"`
	Region   string `json:"region,omitempty"`
	AliasArn string `json:"aliasArn,omitempty"`
}

func lexV1ID(name, region string) string { return api.LexVersionV1 + "/" + region + "/" + name }
func lexV2ID(aliasARN string) string     { return api.LexVersionV2 + "/" + aliasARN }

// checkLexV1 checks a V1 bot's name and region; bad makes the error
// (InvalidParameterException where the operation declares it,
// InvalidRequestException otherwise).
func checkLexV1(name, region, nameMember, regionMember string, bad func(string, ...any) error) error {
	if len(name) < 2 || len(name) > 50 || !lexBotNameForm.MatchString(name) {
		return bad("%s %q is not an Amazon Lex bot name (2 to 50 letters, with single underscores between them)", nameMember, name)
	}
	if !arnRegionForm.MatchString(region) {
		return bad("%s %q is not an AWS Region name", regionMember, region)
	}
	return nil
}

// checkLexV2 accepts the alias ARN of a Lex V2 bot of the caller's region
// and account: Connect writes the alias's resource policy, which it can do
// only there.
func checkLexV2(sc switchboard.Scope, bot *api.LexV2Bot) error {
	if bot.AliasArn == nil {
		return invalidRequest("LexV2Bot.AliasArn is required")
	}
	a, ok := parseForeignARN(*bot.AliasArn)
	if !ok || a.service != "lex" || !lexAliasForm.MatchString(a.resource) {
		return invalidRequest("LexV2Bot.AliasArn %s is not an Amazon Lex V2 bot alias ARN (arn:aws:lex:{region}:{account}:bot-alias/{botId}/{botAliasId})", *bot.AliasArn)
	}
	if !a.sameScope(sc) {
		return invalidRequest("LexV2Bot.AliasArn %s must be a bot alias in the instance's region (%s) and account (%s)", *bot.AliasArn, sc.Region, sc.Account)
	}
	return nil
}

// exactlyOneBot refuses a request naming neither or both of LexBot and
// LexV2Bot.
func exactlyOneBot(v1 *api.LexBot, v2 *api.LexV2Bot) error {
	if (v1 == nil) == (v2 == nil) {
		return invalidRequest("Exactly one of LexBot and LexV2Bot is required")
	}
	return nil
}

// associateLex stores the association of a bot checked before.
func (s *Service) associateLex(ctx context.Context, instanceID string, doc lexBotDoc) error {
	sc := scope(ctx)
	id, what, limit := lexV1ID(doc.Name, doc.Region), "Amazon Lex bot "+doc.Name+" ("+doc.Region+")", s.quotas.LexBotsPerInstance
	if doc.Version == api.LexVersionV2 {
		id, what, limit = lexV2ID(doc.AliasArn), "Amazon Lex V2 bot alias "+doc.AliasArn, lexV2AliasesPerInstance
	}
	rec := &switchboard.Record{Kind: switchboard.KindLexBot, ID: id, Data: encode(doc)}
	return s.associate(ctx, instanceID, rec, doc.ClientToken, what+" is already associated with the instance",
		func(tx switchboard.Tx, instanceID string) (int, error) {
			recs, err := tx.List(sc, switchboard.KindLexBot, instanceID, switchboard.ListOptions{})
			n := 0
			for _, r := range recs {
				if strings.HasPrefix(r.ID, doc.Version+"/") {
					n++
				}
			}
			return n, err
		}, limit, func() error {
			if doc.Version == api.LexVersionV2 {
				return quotaExceeded("The maximum number of Amazon Lex V2 bot aliases per instance (%d) has been reached", limit)
			}
			return quotaExceeded("The maximum number of Amazon Lex bots per instance (%d) has been reached", limit)
		})
}

func (s *Service) associateBot(ctx context.Context, in *api.AssociateBotRequest) (*empty, error) {
	if err := exactlyOneBot(in.LexBot, in.LexV2Bot); err != nil {
		return nil, err
	}
	doc := lexBotDoc{association: association{ClientToken: deref(in.ClientToken)}}
	if in.LexBot != nil {
		if err := checkLexV1(*in.LexBot.Name, *in.LexBot.LexRegion, "LexBot.Name", "LexBot.LexRegion", invalidRequest); err != nil {
			return nil, err
		}
		doc.Version, doc.Name, doc.Region = api.LexVersionV1, *in.LexBot.Name, *in.LexBot.LexRegion
	} else {
		if err := checkLexV2(scope(ctx), in.LexV2Bot); err != nil {
			return nil, err
		}
		doc.Version, doc.AliasArn = api.LexVersionV2, *in.LexV2Bot.AliasArn
	}
	if err := s.associateLex(ctx, *in.InstanceId, doc); err != nil {
		return nil, err
	}
	return &empty{}, nil
}

func (s *Service) associateLexBot(ctx context.Context, in *api.AssociateLexBotRequest) (*empty, error) {
	if err := checkLexV1(*in.LexBot.Name, *in.LexBot.LexRegion, "LexBot.Name", "LexBot.LexRegion", invalidParameter); err != nil {
		return nil, err
	}
	doc := lexBotDoc{association: association{ClientToken: deref(in.ClientToken)}, Version: api.LexVersionV1, Name: *in.LexBot.Name, Region: *in.LexBot.LexRegion}
	if err := s.associateLex(ctx, *in.InstanceId, doc); err != nil {
		return nil, err
	}
	return &empty{}, nil
}

func (s *Service) disassociateBot(ctx context.Context, in *api.DisassociateBotRequest) (*empty, error) {
	if err := exactlyOneBot(in.LexBot, in.LexV2Bot); err != nil {
		return nil, err
	}
	if in.LexBot != nil {
		return s.disassociate(ctx, *in.InstanceId, switchboard.KindLexBot, lexV1ID(*in.LexBot.Name, *in.LexBot.LexRegion),
			"Amazon Lex bot "+*in.LexBot.Name+" ("+*in.LexBot.LexRegion+") is not associated with instance "+instanceIDFrom(*in.InstanceId))
	}
	if in.LexV2Bot.AliasArn == nil {
		return nil, invalidRequest("LexV2Bot.AliasArn is required")
	}
	return s.disassociate(ctx, *in.InstanceId, switchboard.KindLexBot, lexV2ID(*in.LexV2Bot.AliasArn),
		"Amazon Lex V2 bot alias "+*in.LexV2Bot.AliasArn+" is not associated with instance "+instanceIDFrom(*in.InstanceId))
}

func (s *Service) disassociateLexBot(ctx context.Context, in *api.DisassociateLexBotRequest) (*empty, error) {
	return s.disassociate(ctx, *in.InstanceId, switchboard.KindLexBot, lexV1ID(*in.BotName, *in.LexRegion),
		"Amazon Lex bot "+*in.BotName+" ("+*in.LexRegion+") is not associated with instance "+instanceIDFrom(*in.InstanceId))
}

// lexVersionIs keeps the bots of one Lex version.
func lexVersionIs(v string) func(*switchboard.Record) bool {
	return func(r *switchboard.Record) bool { return strings.HasPrefix(r.ID, v+"/") }
}

func lexBotOf(r *switchboard.Record) (lexBotDoc, error) {
	var d lexBotDoc
	return d, decode(r, &d)
}

func (s *Service) listBots(ctx context.Context, in *api.ListBotsRequest) (*api.ListBotsResponse, error) {
	list, next, err := listAssociations(s, ctx, *in.InstanceId, switchboard.KindLexBot, in.NextToken, in.MaxResults, 25, lexVersionIs(*in.LexVersion),
		func(r *switchboard.Record) (api.LexBotConfig, error) {
			d, err := lexBotOf(r)
			if d.Version == api.LexVersionV2 {
				return api.LexBotConfig{LexV2Bot: &api.LexV2Bot{AliasArn: ptr(d.AliasArn)}}, err
			}
			return api.LexBotConfig{LexBot: &api.LexBot{Name: ptr(d.Name), LexRegion: ptr(d.Region)}}, err
		})
	if err != nil {
		return nil, err
	}
	return &api.ListBotsResponse{LexBots: list, NextToken: next}, nil
}

func (s *Service) listLexBots(ctx context.Context, in *api.ListLexBotsRequest) (*api.ListLexBotsResponse, error) {
	list, next, err := listAssociations(s, ctx, *in.InstanceId, switchboard.KindLexBot, in.NextToken, in.MaxResults, 25, lexVersionIs(api.LexVersionV1),
		func(r *switchboard.Record) (api.LexBot, error) {
			d, err := lexBotOf(r)
			return api.LexBot{Name: ptr(d.Name), LexRegion: ptr(d.Region)}, err
		})
	if err != nil {
		return nil, err
	}
	return &api.ListLexBotsResponse{LexBots: list, NextToken: next}, nil
}
