"""A burst of ListUsers calls with boto3's default retry configuration.

Run by e2e/throttle_test.go against a server that throttles:
    python3 throttle_burst.py ENDPOINT REGION INSTANCE_ID CALLS
Credentials come from the environment. Prints one JSON line and exits 0
when every call succeeded, 1 (with the errors) otherwise.
"""
import json
import sys
from concurrent.futures import ThreadPoolExecutor

import boto3
import botocore


def main():
    endpoint, region, instance_id, calls = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    # No Config: the retry mode and attempts are boto3's defaults.
    client = boto3.client("connect", region_name=region, endpoint_url=endpoint)

    def call(_):
        try:
            out = client.list_users(InstanceId=instance_id)
            return out["ResponseMetadata"].get("RetryAttempts", 0), None
        except botocore.exceptions.ClientError as e:
            return 0, e.response["Error"].get("Code", "") + ": " + str(e)

    with ThreadPoolExecutor(max_workers=calls) as pool:
        results = list(pool.map(call, range(calls)))
    errors = [err for _, err in results if err]
    print(json.dumps({
        "botocore": botocore.__version__,
        "retry_mode": client.meta.config.retries.get("mode") if client.meta.config.retries else None,
        "calls": calls,
        "retried": sum(1 for attempts, _ in results if attempts > 0),
        "errors": errors,
    }))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
