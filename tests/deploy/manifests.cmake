# The deployment files' consistency check (tests/deploy/manifests_test.py):
# the Kubernetes manifests, compose.yaml and the Dockerfile agree with each
# other. Needs Debian's python3 with python3-yaml (scripts/install-deps.sh).
add_test(NAME deploy_manifests
  COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/tests/deploy/manifests_test.py ${PROJECT_SOURCE_DIR})
set_tests_properties(deploy_manifests PROPERTIES LABELS deploy TIMEOUT 60)
