"""One engine per process is shared by gunicorn's threads (deploy.cluster --threads): checks run
at once in many threads give what they give one at a time."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from tests.trust.test_corpus_quality import CORPUS, _benchmark_module
from trust.engine import CheckEngine
from trust.engine.language import Vocabulary


def test_checks_in_many_threads_match_the_same_checks_in_one():
    bench = _benchmark_module()
    engine = CheckEngine(bench.engine_config_from_profile())
    items = CORPUS[:120]

    def outcome(item):
        result = bench.check_item(engine, item)
        return result.verdict, tuple(finding.code for finding in result.findings)

    alone = [outcome(item) for item in items]
    # A fresh engine, so that the threads also fill its caches at the same time.
    engine = CheckEngine(bench.engine_config_from_profile())
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(outcome, items * 3))
    assert together == alone * 3


def test_each_thread_stems_with_stemmers_of_its_own():
    vocabulary = Vocabulary()
    seen = {}
    # Both threads hold their stemmers until both have looked (an ended thread's may be freed
    # and its address reused).
    both_looked = threading.Barrier(2)

    def stemmers_of_this_thread(name):
        seen[name] = [id(stemmer) for stemmer in vocabulary._thread_stemmers()]
        assert vocabulary._thread_stemmers() is vocabulary._thread_stemmers()
        both_looked.wait(timeout=30)

    threads = [threading.Thread(target=stemmers_of_this_thread, args=(n,)) for n in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen["a"] and not set(seen["a"]) & set(seen["b"])
    assert vocabulary.stems("passport") == Vocabulary().stems("passport")
