#define G_LOG_DOMAIN "bgpt-diagnosis"
#include "config.h"
#include "bgpt-diagnosis.h"
