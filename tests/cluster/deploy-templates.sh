#!/bin/bash
# Checks the templates in deploy/ that this machine cannot run for real (the Slurm ones
# run in tests/cluster/slurm.sh):
# - Kubernetes manifests: `kubectl apply --dry-run=client` when an API server answers
#   (kubectl downloads the schema it validates against from the server, so without one
#   it validates nothing); otherwise type-checked against the Kubernetes API types of
#   kubernetes-models (TypeScript's excess-property check names a misspelt field, the first,
#   its unions a wrong enum value) and run through its JSON Schema validators.
# - AWS Batch JSON: against botocore's model of the Batch API (unknown fields, types,
#   required members), as the aws CLI would before sending it; submit.sh with a stand-in
#   aws command, to see the merge depend on the array job's id.
# - Shell scripts: bash -n.
#
#   npm run test:deploy
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
check() { # label command...
  local label=$1
  shift
  if out=$("$@" 2>&1); then
    echo "ok   $label"
  else
    echo "FAIL $label"
    sed 's/^/     /' <<<"$out"
    failed=1
  fi
}

for f in deploy/slurm/*.sh deploy/slurm/*.sbatch deploy/aws-batch/*.sh tests/cluster/*.sh; do
  check "$f: bash -n" bash -n "$f"
done

if command -v kubectl >/dev/null && kubectl version --request-timeout=5s >/dev/null 2>&1; then
  for f in deploy/k8s/*.yaml; do
    check "$f: kubectl apply --dry-run=client" kubectl apply --dry-run=client -f "$f"
  done
else
  echo "     (no Kubernetes API server answers: checking the manifests against kubernetes-models)"
  # Installed here rather than as a dependency: only this check needs it.
  npm install --prefix "$work" --no-save --no-audit --no-fund --loglevel=error \
    kubernetes-models@5.1.0 yaml@2 >/dev/null
  echo '{ "type": "module" }' >"$work/package.json"
  # One TypeScript file per manifest: `const m: IJob = {…}` with the manifest as the literal.
  cat >"$work/to-ts.mjs" <<'JS'
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseAllDocuments } from 'yaml';
for (const file of process.argv.slice(2)) {
  parseAllDocuments(readFileSync(file, 'utf8')).forEach((doc, i) => {
    const m = doc.toJS();
    const type = `I${m.kind}`;
    writeFileSync(
      `${basename(file, '.yaml')}-${i}.ts`,
      `// ${file}\nimport type { ${type} } from 'kubernetes-models/${m.apiVersion}/${m.kind}';\n` +
        `export const manifest: ${type} = ${JSON.stringify(m, null, 2)};\n`
    );
  });
}
JS
  cat >"$work/validate.mjs" <<'JS'
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
let bad = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const m = doc.toJS();
    const model = await import(`kubernetes-models/${m.apiVersion}/${m.kind}`);
    try {
      new model[m.kind](m).validate();
    } catch (e) {
      console.log(`${file}: ${e.message}`);
      bad = 1;
    }
  }
}
process.exit(bad);
JS
  manifests=("$repo"/deploy/k8s/*.yaml)
  (cd "$work" && node to-ts.mjs "${manifests[@]}")
  # From the temporary directory, where no tsconfig.json is in the way of these options.
  check "deploy/k8s/*.yaml: the Kubernetes API types (tsc)" bash -c 'cd "$1" && "$2" --noEmit \
    --strict --skipLibCheck --target es2022 --module nodenext --moduleResolution nodenext ./*-[0-9].ts' \
    _ "$work" "$repo/node_modules/.bin/tsc"
  check "deploy/k8s/*.yaml: the Kubernetes JSON Schemas" \
    bash -c 'cd "$1" && shift && node validate.mjs "$@"' _ "$work" "${manifests[@]}"
fi

if python3 -c 'import botocore' 2>/dev/null; then
  check "deploy/aws-batch/*.json: the Batch API model (botocore)" python3 - <<'PY'
import json, sys
import botocore.session
from botocore.validate import ParamValidator
batch = botocore.session.get_session().get_service_model('batch')
bad = False
for operation, file in [('RegisterJobDefinition', 'job-definition.json'),
                        ('SubmitJob', 'submit-array.json'), ('SubmitJob', 'submit-merge.json')]:
    with open(f'deploy/aws-batch/{file}') as f:
        report = ParamValidator().validate(json.load(f), batch.operation_model(operation).input_shape)
    if report.has_errors():
        print(f'{file}: {report.generate_report()}')
        bad = True
sys.exit(1 if bad else 0)
PY
else
  echo "     (no botocore: the AWS Batch JSON is only parsed)"
  for f in deploy/aws-batch/*.json; do check "$f: JSON" node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$f"; done
fi

# submit.sh against a stand-in aws that logs its arguments and answers with a job id.
mkdir "$work/bin"
cat >"$work/bin/aws" <<'SH'
#!/bin/bash
echo "$*" >>"$AWS_LOG"
if grep -q submit-array <<<"$*"; then echo array-1234; else echo merge-5678; fi
SH
chmod +x "$work/bin/aws"
check "deploy/aws-batch/submit.sh: the merge depends on the array job" bash -c '
  ids=$(PATH="$1/bin:$PATH" AWS_LOG="$1/aws.log" deploy/aws-batch/submit.sh)
  [ "$ids" = "$(printf "array_job=array-1234\nmerge_job=merge-5678")" ] &&
    grep -q "submit-merge.json --depends-on jobId=array-1234 " "$1/aws.log"' _ "$work"

if [ "$failed" = 0 ]; then echo "PASS: the deploy templates"; else echo "FAIL: the deploy templates"; exit 1; fi
