package load

import "github.com/routeshift/routeshift/internal/parallel"

// encodeAll encodes, in parallel, the objects that need it, in order;
// need says which. Encoding generated objects is a large share of a big
// run and each object encodes on its own, so every core can take a share.
func encodeAll(objs []*Object, need func(i int) bool) ([][]byte, error) {
	out := make([][]byte, len(objs))
	errs := make([]error, len(objs))
	var todo []int
	for i := range objs {
		if need(i) {
			todo = append(todo, i)
		}
	}
	parallel.For(len(todo), func(j int) {
		i := todo[j]
		out[i], errs[i] = encodeObject(objs[i])
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
