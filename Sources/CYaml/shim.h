#ifndef KONNECT_CYAML_SHIM_H
#define KONNECT_CYAML_SHIM_H
#include <yaml.h>
#endif
