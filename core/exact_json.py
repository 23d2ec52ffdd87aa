"""Django's JSON serializer with full precision, for backups.

The stock encoder cuts datetimes and times to milliseconds (for ECMAScript), which would lose
the microseconds of every timestamp, history dates included, so that a restore is not identical
and history entries made within one millisecond would lose their order. This one writes
``isoformat()`` with all the digits; reading is the stock JSON deserializer.
Registered in settings as the serialization format ``exact_json``.
"""

import datetime

from django.core.serializers.json import Deserializer as JSONDeserializer
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            if isinstance(o, datetime.time) and o.utcoffset() is not None:
                raise ValueError("JSON can't represent timezone-aware times.")
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class Serializer(JSONSerializer):
    def serialize(self, queryset, **options):
        # The JSON serializer hands its options to json.dump; ``cls`` picks the encoder.
        options.setdefault("cls", ExactEncoder)
        return super().serialize(queryset, **options)


Deserializer = JSONDeserializer
