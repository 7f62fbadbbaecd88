package service

// registerFlowModules registers the flow module operations.
func (s *Service) registerFlowModules() {}
