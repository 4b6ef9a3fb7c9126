#!/usr/bin/env python3
"""A stand-in for the GitHub Actions runner, for testing action.yml where Actions cannot run.

validate ACTION_YML
    Checks action.yml against the public metadata syntax ("Metadata syntax for GitHub Actions"):
    required keys (name, description, runs), composite runs (using, steps), every `run` step
    has a `shell`, inputs have a description, composite outputs have a value, and every
    `inputs.X` / `steps.ID.outputs.X` an expression uses exists (steps: an earlier step's id).

run ACTION_YML WITH_JSON RESULT_JSON
    Runs the composite steps as the runner would: `run` steps with bash (`bash --noprofile
    --norc -eo pipefail FILE`, the runner's command for `shell: bash`), ${{ }} expressions
    substituted, GITHUB_OUTPUT a fresh file per step, GITHUB_STEP_SUMMARY, GITHUB_EVENT_PATH and
    GITHUB_WORKSPACE from the environment, `if:` conditions evaluated; `uses:` steps are recorded
    (with their evaluated inputs) instead of run. Writes the action's outputs, the recorded
    `uses` steps and the exit status to RESULT_JSON. The working directory is whatever the
    caller started in (the action must not depend on it).
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def load(path):
    with open(path) as f:
        return yaml.safe_load(f)


def references(text):
    for m in EXPR.finditer(text or ""):
        yield m.group(1)


def validate(action):
    errs = []
    for key in ("name", "description", "runs"):
        if key not in action:
            errs.append(f"missing required key '{key}'")
    runs = action.get("runs") or {}
    if runs.get("using") != "composite":
        errs.append("runs.using must be 'composite'")
    steps = runs.get("steps")
    if not isinstance(steps, list) or not steps:
        errs.append("runs.steps must be a non-empty list")
        steps = []
    inputs = action.get("inputs") or {}
    for name, spec in inputs.items():
        if not isinstance(spec, dict) or "description" not in spec:
            errs.append(f"inputs.{name}: description is required")
    for name, spec in (action.get("outputs") or {}).items():
        if not isinstance(spec, dict) or "value" not in spec or "description" not in spec:
            errs.append(f"outputs.{name}: composite outputs need description and value")
    ids = []

    def check_expr(where, expr, known_ids):
        for m in re.finditer(r"\binputs\.([A-Za-z0-9_-]+)", expr):
            if m.group(1) not in inputs:
                errs.append(f"{where}: inputs.{m.group(1)} is not an input")
        for m in re.finditer(r"\bsteps\.([A-Za-z0-9_-]+)\.outputs\.", expr):
            if m.group(1) not in known_ids:
                errs.append(f"{where}: steps.{m.group(1)} is not an earlier step")

    for i, step in enumerate(steps):
        where = f"runs.steps[{i}]"
        if ("run" in step) == ("uses" in step):
            errs.append(f"{where}: needs exactly one of run and uses")
        if "run" in step and "shell" not in step:
            errs.append(f"{where}: a run step in a composite action needs shell")
        texts = [step.get("run", ""), step.get("if", "")]
        texts += [str(v) for v in (step.get("env") or {}).values()]
        texts += [str(v) for v in (step.get("with") or {}).values()]
        for t in texts:
            for e in references(t):
                check_expr(where, e, ids)
        if "if" in step:
            check_expr(where, str(step["if"]), ids)
        if "id" in step:
            if step["id"] in ids:
                errs.append(f"{where}: duplicate id {step['id']}")
            ids.append(step["id"])
    for name, spec in (action.get("outputs") or {}).items():
        for e in references(str(spec.get("value", ""))):
            check_expr(f"outputs.{name}", e, ids)
    return errs


class Context:
    def __init__(self, inputs):
        self.inputs = inputs
        self.steps = {}
        self.failed = False

    def lookup(self, ref):
        parts = ref.split(".")
        if parts[0] == "inputs":
            return self.inputs.get(parts[1], "")
        if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
            return self.steps.get(parts[1], {}).get(parts[3], "")
        if parts[0] == "runner" and parts[1] == "os":
            return "Linux"
        if parts[0] == "runner" and parts[1] == "temp":
            return os.environ["RUNNER_TEMP"]
        if parts[0] == "github" and parts[1] == "workspace":
            return os.environ["GITHUB_WORKSPACE"]
        if parts[0] == "github" and parts[1] == "action_path":
            return os.environ["GITHUB_ACTION_PATH"]
        # Not promised for composite actions (github/docs#25336): may be empty.
        if parts[0] == "github" and parts[1] == "action_repository":
            return os.environ.get("GITHUB_ACTION_REPOSITORY", "")
        if parts[0] == "github" and parts[1] == "action_ref":
            return os.environ.get("GITHUB_ACTION_REF", "")
        raise ValueError(f"unsupported expression reference {ref}")

    def value(self, term):
        term = term.strip()
        if term.startswith("'") and term.endswith("'"):
            return term[1:-1].replace("''", "'")
        if term in ("true", "false"):
            return term == "true"
        if term == "always()":
            return True
        if term == "success()":
            return not self.failed
        if term == "failure()":
            return self.failed
        return self.lookup(term)

    def condition(self, expr):
        expr = EXPR.sub(lambda m: m.group(1), expr).strip()
        for alt in expr.split("||"):
            ok = True
            for conj in alt.split("&&"):
                m = re.match(r"^(.*?)\s*(==|!=)\s*(.*)$", conj.strip())
                if m:
                    a, b = self.value(m.group(1)), self.value(m.group(3))
                    v = (str(a) == str(b)) if m.group(2) == "==" else (str(a) != str(b))
                else:
                    v = bool(self.value(conj))
                ok = ok and v
            if ok:
                return True
        return False

    def subst(self, text):
        return EXPR.sub(lambda m: str(self.value(m.group(1))), str(text))


def parse_outputs(path):
    out = {}
    with open(path) as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"^([^=<]+)<<(.+)$", line)
        if m:  # name<<DELIMITER ... DELIMITER
            value = []
            i += 1
            while i < len(lines) and lines[i] != m.group(2):
                value.append(lines[i])
                i += 1
            out[m.group(1)] = "\n".join(value)
        elif "=" in line:
            k, v = line.split("=", 1)
            out[k] = v
        i += 1
    return out


def run(action, with_values, result_path):
    inputs = {k: str(v.get("default", "")) for k, v in (action.get("inputs") or {}).items()}
    inputs.update({k: str(v) for k, v in with_values.items()})
    ctx = Context(inputs)
    used = []
    status = 0
    for i, step in enumerate(action["runs"]["steps"]):
        cond = step.get("if", "success()")
        if not ctx.condition(str(cond)):
            continue
        if "uses" in step:
            used.append({"uses": step["uses"], "with": {k: ctx.subst(v) for k, v in (step.get("with") or {}).items()}})
            continue
        env = dict(os.environ)
        env.update({k: ctx.subst(v) for k, v in (step.get("env") or {}).items()})
        fd, out_file = tempfile.mkstemp(prefix="github_output_")
        os.close(fd)
        env["GITHUB_OUTPUT"] = out_file
        with tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False) as script:
            script.write(ctx.subst(step["run"]))
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", script.name], env=env)
        os.unlink(script.name)
        if "id" in step:
            ctx.steps[step["id"]] = parse_outputs(out_file)
        os.unlink(out_file)
        if proc.returncode != 0:
            status = proc.returncode
            ctx.failed = True
            break
    outputs = {k: ctx.subst(v.get("value", "")) for k, v in (action.get("outputs") or {}).items()}
    with open(result_path, "w") as f:
        json.dump({"status": status, "outputs": outputs, "uses": used}, f, indent=2)
    return status


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "validate":
        errs = validate(load(sys.argv[2]))
        for e in errs:
            print(f"action.yml: {e}")
        return 1 if errs else 0
    if len(sys.argv) == 5 and sys.argv[1] == "run":
        with open(sys.argv[3]) as f:
            with_values = json.load(f)
        run(load(sys.argv[2]), with_values, sys.argv[4])
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
