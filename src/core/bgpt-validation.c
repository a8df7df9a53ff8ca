#define G_LOG_DOMAIN "bgpt-validation"
#include "config.h"
#include "bgpt-validation.h"
