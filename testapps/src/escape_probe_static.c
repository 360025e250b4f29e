/* The escape probes, statically linked: see escape_probe.h. */
#include "escape_probe.h"
