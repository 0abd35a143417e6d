"""Stand-ins for the course's *test-helper* modules that a learner's notebook imports.

The notebooks do ``from testCases import *`` and ``from public_tests import *``; when refnn loads
a notebook as a target (:mod:`refnn.notebook`), those names resolve to these modules, which
rebuild the course's test inputs (:mod:`~refnn.course.standins.testCases`) and its public tests
(:mod:`~refnn.course.standins.public_tests`) from the published recipes. They are not part of the
course's API (that is :mod:`refnn.course`), and the conformance suite never counts them for or
against a learner.
"""
