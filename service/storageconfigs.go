package service

// registerStorageConfigs registers the instance storage config operations.
func (s *Service) registerStorageConfigs() {}
