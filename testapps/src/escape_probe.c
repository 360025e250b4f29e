/* The escape probes, dynamically linked: see escape_probe.h. */
#include "escape_probe.h"
