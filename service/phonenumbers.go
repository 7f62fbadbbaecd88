package service

// registerPhoneNumbers registers the phone numbers and their flow associations.
func (s *Service) registerPhoneNumbers() {}
