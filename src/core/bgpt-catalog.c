#define G_LOG_DOMAIN "bgpt-catalog"
#include "config.h"
#include "bgpt-catalog.h"
