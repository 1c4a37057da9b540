"""Excel cell functions (xlwings UDFs) over cplkpi.scoring: conversion only, no logic of their own."""
