package service

// registerContacts registers the contact operations.
func (s *Service) registerContacts() {}
