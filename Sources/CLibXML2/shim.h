#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H

#include <stdarg.h>
#include <stdio.h>
#include <libxml/xmlversion.h>
/* Debian builds libxml2 with ICU, so its encoding header includes the system's ICU headers,
   whose declarations clash with Foundation's own ICU module in a fresh build. Nothing here
   touches the ICU-only fields (the tail of xmlCharEncodingHandler), so leave them out. */
#undef LIBXML_ICU_ENABLED
#include <string.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/relaxng.h>
#include <libxml/valid.h>

/* xmlFree is a global function-pointer variable; Swift 6 rejects references to
   mutable C globals, so it is called from here. */
static inline void clibxml2_free(void *ptr) { xmlFree(ptr); }

/* DTD validation reports through printf-style (variadic) callbacks, which Swift cannot
   implement. These helpers format the message in C and hand the finished string to a
   plain Swift callback stored, with its context, in a sink owned by the caller. */
typedef void (*clibxml2_message_callback)(void *context, const char *message);

typedef struct {
    clibxml2_message_callback callback;
    void *context;
} clibxml2_message_sink;

static inline void clibxml2_sink_printf(void *sink, const char *format, ...) {
    char buffer[2048];
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(buffer, sizeof buffer, format, arguments);
    va_end(arguments);
    clibxml2_message_sink *s = (clibxml2_message_sink *)sink;
    if (s != NULL && s->callback != NULL) s->callback(s->context, buffer);
}

/* Routes a validation context's errors and warnings to `sink` (per context, no globals). */
static inline void clibxml2_valid_ctxt_set_sink(xmlValidCtxtPtr context, clibxml2_message_sink *sink) {
    context->userData = sink;
    context->error = clibxml2_sink_printf;
    context->warning = clibxml2_sink_printf;
}

/* Routes a parser context's errors to a structured callback without touching the
   process-wide handlers. libxml2 calls `handler` with ctxt->userData, which is the
   context itself (the SAX callbacks need it), so the caller's data goes in _private. */
static inline void clibxml2_parser_ctxt_set_structured_errors(xmlParserCtxtPtr ctxt, xmlStructuredErrorFunc handler, void *data) {
    if (ctxt->sax != NULL) {
        ctxt->sax->initialized = XML_SAX2_MAGIC;
        ctxt->sax->serror = handler;
    }
    ctxt->_private = data;
}

static inline void *clibxml2_parser_ctxt_private(void *ctxt) {
    return ctxt == NULL ? NULL : ((xmlParserCtxtPtr)ctxt)->_private;
}

/* Turns a parser context into a SAX-only parser: libxml2 builds no tree and calls these
   handlers instead (with the context as their first argument; the caller's data sits in
   ctxt->_private). Every other callback is cleared, so no document is created. */
static inline void clibxml2_use_sax(xmlParserCtxtPtr ctxt, void *data, startElementSAXFunc start, endElementSAXFunc end,
                                    charactersSAXFunc characters, commentSAXFunc comment) {
    xmlSAXHandlerPtr sax = ctxt->sax;
    if (sax == NULL) return;
    memset(sax, 0, sizeof(xmlSAXHandler));
    sax->initialized = 1; /* SAX1-style handlers: the HTML parser calls startElement/endElement */
    sax->startElement = start;
    sax->endElement = end;
    sax->characters = characters;
    sax->ignorableWhitespace = characters;
    sax->cdataBlock = characters;
    sax->comment = comment;
    ctxt->_private = data;
}

/* Parses `stream`, pushed on a context just reset, as UTF-8 HTML with `options`; returns the
   document libxml2 built, if any (none with SAX handlers only). */
static inline htmlDocPtr clibxml2_html_parse_stream(htmlParserCtxtPtr ctxt, xmlParserInputPtr stream, int options) {
    htmlDocPtr doc;
    inputPush(ctxt, stream);
    htmlCtxtUseOptions(ctxt, options);
    ctxt->html = 1;
    xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
    htmlParseDocument(ctxt);
    doc = ctxt->myDoc;
    ctxt->myDoc = NULL;
    return doc;
}

/* htmlCtxtReadMemory for UTF-8 input, without its conversion pass: given an encoding,
   libxml2 2.9 installs a converter and converts its copy of the input into yet another
   buffer (UTF-8 to UTF-8), so a 50 MB page was held three times. Here the parser is told
   the bytes are UTF-8 (the context's charset) and reads its one copy directly. (A static
   input *buffer* is not an option: 2.9's input shrinking re-reads parsed text from one; see
   clibxml2_html_read_utf8_in_place for an input with no buffer at all.) */
static inline htmlDocPtr clibxml2_html_read_utf8(htmlParserCtxtPtr ctxt, const char *buffer, int size, int options) {
    xmlParserInputBufferPtr input;
    xmlParserInputPtr stream;
    if (ctxt == NULL || buffer == NULL || size < 0) return NULL;
    htmlCtxtReset(ctxt);
    input = xmlParserInputBufferCreateMem(buffer, size, XML_CHAR_ENCODING_NONE);
    if (input == NULL) return NULL;
    stream = xmlNewIOInputStream(ctxt, input, XML_CHAR_ENCODING_NONE);
    if (stream == NULL) {
        xmlFreeParserInputBuffer(input);
        return NULL;
    }
    return clibxml2_html_parse_stream(ctxt, stream, options);
}

/* Like clibxml2_html_read_utf8, but the parser reads `buffer` where it lies, without
   libxml2's copy into an input buffer. `buffer` must be valid UTF-8 with a NUL at
   buffer[size] (a native Swift string's storage), and outlive the parse. The input stream
   has no buffer behind it, as for libxml2's own string inputs: growing and shrinking do
   nothing (the whole text is already in memory) and libxml2 never frees it. The only code
   that needs a buffer is an encoding switch, which valid UTF-8 never asks for but the
   parser's own look at the first four bytes (after a byte order mark) can: those with a
   UTF-16, UCS-4 or EBCDIC signature take the copying path above. */
static inline htmlDocPtr clibxml2_html_read_utf8_in_place(htmlParserCtxtPtr ctxt, const char *buffer, int size, int options) {
    xmlParserInputPtr stream;
    if (ctxt == NULL || buffer == NULL || size < 0) return NULL;
    {
        /* libxml2 looks at the four bytes after one UTF-8 byte order mark (which it skips
           when told the input is UTF-8), so the same four are checked here. */
        const unsigned char *start = (const unsigned char *)buffer;
        int left = size;
        if (left >= 3 && start[0] == 0xEF && start[1] == 0xBB && start[2] == 0xBF) {
            start += 3;
            left -= 3;
        }
        if (left >= 4) {
            xmlCharEncoding detected = xmlDetectCharEncoding(start, 4);
            if (detected != XML_CHAR_ENCODING_NONE && detected != XML_CHAR_ENCODING_UTF8)
                return clibxml2_html_read_utf8(ctxt, buffer, size, options);
        }
    }
    htmlCtxtReset(ctxt);
    stream = xmlNewInputStream(ctxt);
    if (stream == NULL) return NULL;
    stream->base = (const xmlChar *)buffer;
    stream->cur = (const xmlChar *)buffer;
    stream->end = (const xmlChar *)buffer + size;
    return clibxml2_html_parse_stream(ctxt, stream, options);
}

/* The line the parser is on (1-based). */
static inline int clibxml2_ctxt_line(void *ctxt) {
    xmlParserCtxtPtr c = (xmlParserCtxtPtr)ctxt;
    return (c != NULL && c->input != NULL) ? c->input->line : 0;
}

#endif /* CLIBXML2_SHIM_H */
