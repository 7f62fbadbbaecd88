package service

// registerIntegrations registers the Lambda function, Lex bot, approved origin, security key, integration association, use case and vocabulary operations.
func (s *Service) registerIntegrations() {}
