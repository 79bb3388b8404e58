"""Alerting: rules over observations, episodes, and the notifiers that announce them."""
