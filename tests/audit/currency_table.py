#!/usr/bin/env python3
"""The stand-alone verifier's ISO 4217 table (ledger/verify_ledger.py, CURRENCY_MINOR) must be the
one reckon reads money with (dsl/currency.cpp): a code or minor unit that differs would make the
two verifiers disagree about a statement's money texts.
    usage: currency_table.py SOURCE_DIR"""
import importlib.util, re, sys

root = sys.argv[1]
spec = importlib.util.spec_from_file_location("verify_ledger", f"{root}/ledger/verify_ledger.py")
verifier = importlib.util.module_from_spec(spec)
spec.loader.exec_module(verifier)
cpp = {code: int(d) for code, d in re.findall(r'\{"([A-Z]{3})", (\d)\}', open(f"{root}/dsl/currency.cpp").read())}
if len(cpp) < 150 or cpp != verifier.CURRENCY_MINOR:
    print("tables differ:", sorted(set(cpp.items()) ^ set(verifier.CURRENCY_MINOR.items()))[:10])
    sys.exit(1)
print(f"{len(cpp)} currencies agree")
