"""Three worked examples the form can be filled with (fictional people, typical denials)."""
from __future__ import annotations

from services.analysis.model import SituationInput

EXAMPLES: dict[str, SituationInput] = {
    "허리디스크 (퇴행성 이유로 불승인)": SituationInput(
        industry="택배 물류센터 상하차",
        kind_c="업무상질병",
        diagnoses=["요추 제4-5번 추간판탈출증"],
        benefit="요양급여",
        denial_reason="영상 소견상 퇴행성 변화가 뚜렷하여 업무와의 상당인과관계를 인정하기 어려움",
        story=("6년 동안 물류센터에서 하루 10시간씩 20~30kg 상자를 내리고 올렸습니다. 허리를 숙였다 펴는 일을 "
               "하루 수백 번 했고 쉬는 시간은 거의 없었습니다. 작년 여름 작업 중 허리 통증이 심해져 병원에서 "
               "추간판탈출증 진단을 받았습니다. 입사 전에는 허리 치료를 받은 적이 없습니다."),
    ),
    "뇌출혈 (주 52시간 미만이라 불승인)": SituationInput(
        industry="자동차 부품 제조 (2교대)",
        kind_c="업무상질병",
        diagnoses=["뇌내출혈"],
        benefit="요양급여",
        denial_reason=("발병 전 12주간 1주 평균 업무시간이 52시간 미만이고 고혈압 등 개인 질환이 있어 "
                       "업무 관련성이 낮음"),
        story=("주야 2교대로 일하면서 한 달에 쉬는 날이 2~3일뿐이었습니다. 기록상 주 48시간이지만 야간근무가 절반이고 "
               "교대 직전 조기 출근과 잔업이 기록에 빠져 있습니다. 쓰러지기 1주 전부터 결원 때문에 "
               "연속 야간근무를 했고, 작업장이 더워 땀을 많이 흘렸습니다. 혈압약은 먹고 있었지만 "
               "조절이 잘 되고 있었습니다."),
    ),
    "출근길 교통사고 (경로를 벗어났다고 불승인)": SituationInput(
        industry="요양보호사",
        kind_c="업무상사고",
        diagnoses=["우측 경골 골절"],
        benefit="요양급여",
        denial_reason="사고 당시 통상적인 출근 경로를 벗어나 있었으므로 출퇴근 재해로 볼 수 없음",
        story=("아침에 아이를 어린이집에 데려다 주고 출근하던 길이었습니다. 어린이집은 집과 일하는 곳 사이에서 조금 "
               "돌아가는 곳에 있고, 아이를 맡긴 뒤 평소 출근길로 돌아와 신호를 기다리다가 뒤에서 온 차에 받혔습니다."),
    ),
}
