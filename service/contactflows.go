package service

// registerContactFlows registers the contact flow operations.
func (s *Service) registerContactFlows() {}
