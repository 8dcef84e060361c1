"""Clients for the precedent data sources and the parsing of what they return.

- ``portal``: 공공데이터포털 (data.go.kr) 근로복지공단 산재보험 판례 판결문 조회 서비스.
- ``lawgokr``: 국가법령정보센터 open API (근로복지공단 산재판례 and 재심사위원회 재결).
"""
