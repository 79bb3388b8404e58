"""Configuration: YAML + ${ENV} into frozen pydantic models, with file:line errors."""

from oneprice.settings.loader import LoadedConfig, load_config, masked
from oneprice.settings.models import ChannelSettings, Settings
from oneprice.settings.secrets import mask_secret

__all__ = ["ChannelSettings", "LoadedConfig", "Settings", "load_config", "mask_secret", "masked"]
