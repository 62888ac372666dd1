#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/valid.h>

/* xmlFree is a global function-pointer variable; Swift 6 rejects references to
   mutable C globals, so it is called from here. */
static inline void clibxml2_free(void *ptr) { xmlFree(ptr); }

#endif /* CLIBXML2_SHIM_H */
