"""The reviewer's page and the HTTP API (`postcheck serve`): a face beside the command line.

It owns the web application (`app`), the API (`api`), the checks every request
passes (`guards`), the service that holds the linter (`service`), uploaded
queues and reviewers' decisions (`queues`), the listening server (`server`), the
OpenAPI description (`openapi.yaml`) and the pages' HTML, CSS and JavaScript
(`static/`). It needs the `serve` extra (Starlette and uvicorn).
"""
