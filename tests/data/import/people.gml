Creator "flowsim tests"
graph [
  directed 1
  node [ id 10 label "alice" score 0.5 ]
  node [ id 20 label "bob" score 2 ]
  node [ id 30 label "carol" ]
  edge [ source 10 target 20 ]
  edge [ source 20 target 10 ]
  edge [ source 20 target 30 ]
]
