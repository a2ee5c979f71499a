"""An Open311 app against hejnał: the third-party `georeport` client (PyPI, Apache-2.0) lists the services and reads
requests back, in JSON and in XML; `georeport` has no method to file, so filing is a plain form POST written from
the GeoReport v2 specification with the standard library alone.

    python client_check.py BASE_URL API_KEY     (BASE_URL like http://127.0.0.1:8080/open311/v2)

Prints `filed <id>` and exits 0 when every step answered as the specification says; any failure raises.
"""

import json
import sys
import urllib.parse
import urllib.request

from georeport import GeoReport


def main(base: str, api_key: str) -> None:
    json_client = GeoReport(base, api_key=api_key, output_format="json")
    xml_client = GeoReport(base, api_key=api_key, output_format="xml")

    services = json_client.get_service_list()
    assert len(services) >= 10, services
    xml_services = xml_client.get_service_list()
    assert [s["service_code"] for s in xml_services] == [s["service_code"] for s in services]

    # A service whose every required question is a yes/no list (answered "true"), found through the definitions.
    chosen = None
    for s in services:
        definition = json_client.get_service_definition(s["service_code"])
        attributes = definition["attributes"]
        if all(a["datatype"] == "singlevaluelist" or not a["required"] for a in attributes):
            chosen = (s["service_code"], [a["code"] for a in attributes if a["required"]])
            if attributes:
                xml_definition = xml_client.get_service_definition(s["service_code"])
                assert xml_definition["service_code"] == s["service_code"], xml_definition
            break
    assert chosen, "no service an app can answer"
    code, required = chosen

    fields = {
        "api_key": api_key,
        "service_code": code,
        "lat": "50.0614",
        "long": "19.9366",
        "address_string": "Rynek Główny 1",
        "description": "Filed by an Open311 app.",
        "first_name": "Jan",
        "last_name": "Kowalski",
    }
    for attribute in required:
        fields[f"attribute[{attribute}]"] = "true"
    body = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(f"{base}/requests.json", data=body, method="POST")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    with urllib.request.urlopen(request) as response:
        assert response.status == 201, response.status
        answer = json.load(response)
    request_id = answer[0]["service_request_id"]
    assert "service_notice" in answer[0] and "account_id" in answer[0], answer

    read = json_client.get_service_request(str(request_id))
    assert read["service_request_id"] == request_id, read
    assert read["service_code"] == code and read["status"] == "open", read
    assert read["address"] == "Rynek Główny 1", read
    xml_read = xml_client.get_service_request(str(request_id))
    assert xml_read["service_request_id"] == str(request_id), xml_read
    assert xml_read["status"] == "open", xml_read

    listed = json_client.get_service_requests(service_code=code, status="open")
    assert [r["service_request_id"] for r in listed] == [request_id], listed
    print(f"filed {request_id}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
