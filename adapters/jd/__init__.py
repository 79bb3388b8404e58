"""JD (JOS) channel adapter: SKU JD price and stock of existing wares."""

from adapters.jd.adapter import JdAdapter
from adapters.jd.capabilities import JD_CAPABILITIES
from adapters.jd.mapper import JdMapper
from adapters.jd.settings import JdCredentials, JdOptions, JdSettings

__all__ = ["JD_CAPABILITIES", "JdAdapter", "JdCredentials", "JdMapper", "JdOptions", "JdSettings"]
