#include "solver/model/keep_storage.h"

#include <doctest/doctest.h>

#include <vector>

namespace {

using parley::model::AssignKeeping;
using parley::model::ResizeKeeping;
using Vector = std::vector<double>;

TEST_CASE("ResizeKeeping parks the elements it drops and takes them back first") {
  std::vector<Vector> v(3, Vector(8, 1.0)), spare;
  const double* storage[3] = {v[0].data(), v[1].data(), v[2].data()};
  ResizeKeeping(v, 1, spare);
  CHECK(v.size() == 1);
  REQUIRE(spare.size() == 2);
  CHECK(v[0].data() == storage[0]);
  ResizeKeeping(v, 4, spare);  // two back from the spare, then one new
  CHECK(v.size() == 4);
  CHECK(spare.empty());
  // Dropped from the back, taken back from the spare's back: each element's storage returns
  // to the place it left.
  CHECK(v[1].data() == storage[1]);
  CHECK(v[2].data() == storage[2]);
  CHECK(v[1].capacity() >= 8);
  CHECK(v[3].empty());
  ResizeKeeping(v, 0, spare);
  CHECK(v.empty());
  CHECK(spare.size() == 4);
}

TEST_CASE("AssignKeeping copies the values into kept storage") {
  std::vector<Vector> to(1, Vector(4, 0.0)), spare(1, Vector(4, 0.0));
  const double* kept[2] = {to[0].data(), spare[0].data()};
  const std::vector<Vector> from = {{1, 2}, {3, 4, 5}};
  AssignKeeping(to, from, spare);
  CHECK(to == from);
  CHECK(to[0].data() == kept[0]);  // written over in place (capacity 4 holds 2)
  CHECK(to[1].data() == kept[1]);  // taken from the spare
  AssignKeeping(to, std::vector<Vector>{{7}}, spare);
  CHECK(to == std::vector<Vector>{{7}});
  CHECK(spare.size() == 1);
}

}  // namespace
