"""The platform itself: which plugins are enabled, the policy version, scheduled job leases."""
