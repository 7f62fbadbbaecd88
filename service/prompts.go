package service

// registerPrompts registers the prompt operations.
func (s *Service) registerPrompts() {}
