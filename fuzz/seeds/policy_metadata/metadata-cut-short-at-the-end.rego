package plancheck.p

deny contains "m" if { false }

# METADATA
# title: [unclosed
