package load

import (
	"runtime"
	"sync"
)

// encodeAll encodes, in parallel, the objects that need it, in order;
// need says which. Encoding generated objects is a large share of a big
// run and each object encodes on its own, so every core can take a share.
func encodeAll(objs []*Object, need func(i int) bool) ([][]byte, error) {
	out := make([][]byte, len(objs))
	errs := make([]error, len(objs))
	workers := min(runtime.GOMAXPROCS(0), 8)
	var wg sync.WaitGroup
	next := make(chan int, len(objs))
	for i := range objs {
		if need(i) {
			next <- i
		}
	}
	close(next)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i], errs[i] = encodeObject(objs[i])
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
