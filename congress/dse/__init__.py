"""The bus (DSE): services of Congress talking over oslo.messaging RPC."""
