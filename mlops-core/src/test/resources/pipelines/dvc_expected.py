"""Regenerates expected.txt for each case directory with the real DVC (3.67.1 was used).

Usage: python dvc_expected.py CASE_DIR...   (run with the Python of a DVC virtualenv)

Each case directory holds a dvc.yaml (and params files); the directory is copied to a temporary git+dvc
repository, the pipeline is loaded through dvc.repo.Repo, and the resolved stages are written in the format
that PipelineOracleTest renders (Python repr of each field).
"""
import os
import shutil
import subprocess
import sys
import tempfile


def render(repo_dir, dvcfile):
    from dvc.dependency.param import ParamsDependency
    from dvc.dvcfile import load_file
    from dvc.repo import Repo

    repo = Repo(repo_dir)
    f = load_file(repo, dvcfile)
    lines = []
    try:
        dvcdir = os.path.dirname(os.path.abspath(os.path.join(repo_dir, dvcfile)))
        for s in f.stages.values():
            deps = [d.def_path for d in s.deps if not isinstance(d, ParamsDependency)]
            params = [[d.def_path, list(d.params), not d.params] for d in s.deps if isinstance(d, ParamsDependency)]
            outs = []
            for o in s.outs:
                kind = "METRIC" if o.metric else "PLOT" if o.plot else "OUT"
                outs.append([o.def_path, kind, o.use_cache, o.persist, o.can_push, o.remote, o.annot.desc,
                             o.plot if isinstance(o.plot, dict) else {}])
            lines.append("stage " + s.name)
            lines.append("  wdir " + os.path.relpath(s.wdir, dvcdir))
            lines.append("  cmd " + repr(s.cmd))
            lines.append("  deps " + repr(deps))
            lines.append("  params " + repr(params))
            lines.append("  outs " + repr(outs))
            lines.append("  flags " + repr([s.frozen, s.always_changed, s.desc]))
        r = f.resolver
        lines.append("params " + repr(r.resolve_params()))
        lines.append("metrics " + repr(r.resolve_metrics()))
        lines.append("plots " + repr(r.resolve_plots()))
    except Exception as e:  # noqa: BLE001
        lines.append("ERROR " + (str(e).splitlines() or [type(e).__name__])[0])
    return "\n".join(lines) + "\n"


def main():
    for case in sys.argv[1:]:
        case = os.path.abspath(case)
        with tempfile.TemporaryDirectory() as tmp:
            repo_dir = os.path.join(tmp, "repo")
            shutil.copytree(case, repo_dir, ignore=shutil.ignore_patterns("expected.txt"))
            subprocess.run(["git", "init", "-q"], cwd=repo_dir, check=True)
            subprocess.run([sys.executable, "-m", "dvc", "init", "-q"], cwd=repo_dir, check=True)
            dvcfile = "dvc.yaml"
            if os.path.exists(os.path.join(case, "dvcfile.txt")):
                dvcfile = open(os.path.join(case, "dvcfile.txt")).read().strip()
            cwd = os.getcwd()
            os.chdir(repo_dir)
            try:
                out = render(repo_dir, dvcfile)
            finally:
                os.chdir(cwd)
        with open(os.path.join(case, "expected.txt"), "w") as fd:
            fd.write(out)
        print(case)
        print(out)


if __name__ == "__main__":
    main()
