from crawler.text.segment import tokens
from crawler.text.similarity import distance, simhash
from tests.conftest import PROJECT_ROOT

CORPUS = PROJECT_ROOT / "crawler" / "mirror" / "corpus"


def _text(name: str) -> str:
    return (CORPUS / f"{name}.txt").read_text(encoding="utf-8")


def test_a_republished_notice_is_near_its_original_and_far_from_others():
    original = _text("ln02")
    republished = "欢迎访问某某区人民政府网站\n当前位置：首页 > 通知公告\n" + original.replace("。", "。", 1) + "\n（来源：区委办公室）"
    a, b = simhash(tokens(original)), simhash(tokens(republished))
    assert distance(a, b) <= 3
    others = [distance(a, simhash(tokens(_text(n)))) for n in ("ln01", "ln04", "sd01", "js01")]
    assert min(others) > 10


def test_simhash_fits_a_signed_bigint():
    value = simhash(tokens(_text("sd01")))
    assert -(2 ** 63) <= value < 2 ** 63
