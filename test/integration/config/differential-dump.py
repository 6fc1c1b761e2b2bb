# Differential oracle for test/integration/config/differential.test.ts: runs supervisord's own
# environment= parser and its RawConfigParser configuration over a JSON list of inputs (stdin).
import json
import sys

from supervisor.datatypes import dict_of_key_value_pairs
from supervisor.options import UnhosedConfigParser

out = []
for case in json.load(sys.stdin):
    try:
        if case['kind'] == 'env':
            out.append({'ok': dict_of_key_value_pairs(case['text'])})
        else:
            p = UnhosedConfigParser()
            p.read_string(case['text'])
            out.append({'ok': {'sections': {k: dict(v) for k, v in p._sections.items()},
                               'defaults': dict(p._defaults)}})
    except Exception as e:  # noqa: BLE001 - the message is what is compared
        out.append({'err': str(e)})
json.dump(out, sys.stdout)
