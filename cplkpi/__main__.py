from cplkpi.cli import app

app(prog_name="cplkpi")
