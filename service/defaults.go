package service

import (
	"time"

	"github.com/switchboard-dev/switchboard"
	"github.com/switchboard-dev/switchboard/api"
)

// The stored documents of the resources users point at. Each embeds the
// modelled shape it is described as; the record keeps id, name, tags and
// times, which are filled back in when the shape is read.

type securityProfileDoc struct {
	api.SecurityProfile
	Permissions  []string          `json:"permissions,omitempty"`
	Applications []api.Application `json:"applications,omitempty"`
}

type routingProfileDoc struct {
	api.RoutingProfile
	QueueConfigs []api.RoutingProfileQueueConfig `json:"queueConfigs,omitempty"`
}

type queueDoc struct {
	api.Queue
	QueueType string `json:"queueType"`
}

type hoursDoc struct {
	api.HoursOfOperation
}

// Default security profiles and their permissions. Names and purposes are
// the ones every new Connect instance has; the permission sets follow the
// admin guide's description of each profile.
var defaultSecurityProfiles = []struct {
	name, description string
	permissions       []string
}{
	{"Admin", "Grants all permissions", []string{
		"BasicAgentAccess", "OutboundCallAccess", "Users.View", "Users.Create", "Users.Edit", "Users.EditPermission", "Users.Delete",
		"SecurityProfiles.View", "SecurityProfiles.Create", "SecurityProfiles.Edit", "SecurityProfiles.Delete",
		"RoutingPolicies.View", "RoutingPolicies.Create", "RoutingPolicies.Edit",
		"Queues.View", "Queues.Create", "Queues.Edit", "HoursOfOperation.View", "HoursOfOperation.Create", "HoursOfOperation.Edit", "HoursOfOperation.Delete",
		"AgentHierarchy.View", "AgentHierarchy.Configure", "ContactFlows.View", "ContactFlows.Create", "ContactFlows.Edit",
		"PhoneNumbers.View", "PhoneNumbers.Claim", "RealtimeMetrics.View", "HistoricalMetrics.View", "ContactSearch.View", "MetricsReports.View",
		"AgentStates.View", "AgentStates.Create", "AgentStates.Edit", "QuickConnects.View", "QuickConnects.Create", "QuickConnects.Edit",
	}},
	{"Agent", "Grants permission to access the Contact Control Panel", []string{"BasicAgentAccess", "OutboundCallAccess"}},
	{"CallCenterManager", "Grants permissions for user management, metrics and routing", []string{
		"BasicAgentAccess", "OutboundCallAccess", "Users.View", "Users.Create", "Users.Edit", "Users.EditPermission",
		"SecurityProfiles.View", "RoutingPolicies.View", "RoutingPolicies.Create", "RoutingPolicies.Edit",
		"Queues.View", "Queues.Create", "Queues.Edit", "HoursOfOperation.View", "HoursOfOperation.Create", "HoursOfOperation.Edit",
		"AgentHierarchy.View", "AgentHierarchy.Configure", "RealtimeMetrics.View", "HistoricalMetrics.View", "ContactSearch.View", "MetricsReports.View",
	}},
	{"QualityAnalyst", "Grants permissions for metrics", []string{
		"BasicAgentAccess", "RealtimeMetrics.View", "HistoricalMetrics.View", "ContactSearch.View", "MetricsReports.View",
	}},
}

// createDefaultResources gives a new instance what Connect gives one:
// the four security profiles, Basic Hours, BasicQueue, the Basic Routing
// Profile, the Available and Offline agent statuses and the default
// contact flows, in the same transaction as the instance.
func (s *Service) createDefaultResources(tx switchboard.Tx, sc switchboard.Scope, instanceID string, now time.Time) error {
	insert := func(kind switchboard.Kind, id, name string, doc any, refs []switchboard.Ref) error {
		return tx.Insert(&switchboard.Record{Scope: sc, Kind: kind, Parent: instanceID, ID: id, Name: name, Data: encode(doc), Refs: refs, Created: now, Modified: now})
	}
	for _, p := range defaultSecurityProfiles {
		id := s.newID()
		doc := securityProfileDoc{
			SecurityProfile: api.SecurityProfile{Description: ptr(p.description), OrganizationResourceId: ptr(instanceID)},
			Permissions:     p.permissions,
		}
		if err := insert(switchboard.KindSecurityProfile, id, p.name, doc, nil); err != nil {
			return err
		}
	}

	hoursID := s.newID()
	var days []api.HoursOfOperationConfig
	for _, d := range []string{"SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"} {
		days = append(days, api.HoursOfOperationConfig{
			Day:       ptr(d),
			StartTime: &api.HoursOfOperationTimeSlice{Hours: ptr(int32(0)), Minutes: ptr(int32(0))},
			EndTime:   &api.HoursOfOperationTimeSlice{Hours: ptr(int32(0)), Minutes: ptr(int32(0))},
		})
	}
	hours := hoursDoc{api.HoursOfOperation{Description: ptr("This is the default hours of operation"), TimeZone: ptr("America/New_York"), Config: days}}
	if err := insert(switchboard.KindHoursOfOperation, hoursID, "Basic Hours", hours, nil); err != nil {
		return err
	}

	queueID := s.newID()
	queue := queueDoc{Queue: api.Queue{Description: ptr("BasicQueue"), HoursOfOperationId: ptr(hoursID), Status: ptr(api.QueueStatusEnabled)}, QueueType: api.QueueTypeStandard}
	if err := insert(switchboard.KindQueue, queueID, "BasicQueue", queue, []switchboard.Ref{{Kind: switchboard.KindHoursOfOperation, ID: hoursID}}); err != nil {
		return err
	}

	var configs []api.RoutingProfileQueueConfig
	for _, ch := range []string{api.ChannelVoice, api.ChannelChat, api.ChannelTask} {
		configs = append(configs, api.RoutingProfileQueueConfig{
			QueueReference: &api.RoutingProfileQueueReference{QueueId: ptr(queueID), Channel: ptr(ch)},
			Priority:       ptr(int32(1)), Delay: ptr(int32(0)),
		})
	}
	behavior := &api.CrossChannelBehavior{BehaviorType: ptr(api.BehaviorTypeRouteCurrentChannelOnly)}
	rp := routingProfileDoc{
		RoutingProfile: api.RoutingProfile{
			InstanceId:             ptr(instanceID),
			Description:            ptr("Basic routing profile"),
			DefaultOutboundQueueId: ptr(queueID),
			MediaConcurrencies: []api.MediaConcurrency{
				{Channel: ptr(api.ChannelVoice), Concurrency: ptr(int32(1)), CrossChannelBehavior: behavior},
				{Channel: ptr(api.ChannelChat), Concurrency: ptr(int32(2)), CrossChannelBehavior: behavior},
				{Channel: ptr(api.ChannelTask), Concurrency: ptr(int32(1)), CrossChannelBehavior: behavior},
			},
			AgentAvailabilityTimer: ptr(api.AgentAvailabilityTimerTimeSinceLastActivity),
			IsDefault:              ptr(true),
		},
		QueueConfigs: configs,
	}
	if err := insert(switchboard.KindRoutingProfile, s.newID(), "Basic Routing Profile", rp, []switchboard.Ref{{Kind: switchboard.KindQueue, ID: queueID}}); err != nil {
		return err
	}
	return insertDefaults(tx, sc, instanceID, now)
}
