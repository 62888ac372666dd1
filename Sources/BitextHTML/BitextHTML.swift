// BitextHTML: the one module that talks to libxml2.
internal import CLibXML2
