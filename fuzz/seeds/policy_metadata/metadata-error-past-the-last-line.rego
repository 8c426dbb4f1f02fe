package plancheck.plan_copacdeowned

import rego.v1


# METADATA
# !title