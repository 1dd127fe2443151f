// libnats (Debian libnats-dev, the NATS C client with JetStream): the JetStream sink's client library.
#include <nats/nats.h>
