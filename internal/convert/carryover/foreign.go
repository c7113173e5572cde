package carryover

func (c *run) foreign() {}
