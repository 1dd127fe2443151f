// libmosquitto (Debian libmosquitto-dev): the MQTT sink's client library.
#include <mosquitto.h>
