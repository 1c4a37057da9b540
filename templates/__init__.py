"""The committed report templates CPL_R001/CPL_R003 and the script that rebuilds them."""
